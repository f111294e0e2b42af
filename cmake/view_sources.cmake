# The SDL-free view library, pgtviz_view: everything between the loaders and
# a backend -- the view model and draw list (view*.c, drawlist.c), input,
# narration, the scenario picker, the session, themes.  No file here may
# include SDL, SDL_ttf, SDL_image, giflib or fontconfig (tests/layers.sh
# checks it; pgtviz_view links none of them, so such an include would not
# even compile).  One list, read by CMakeLists.txt and by the browser build
# (src/web/CMakeLists.txt): a new SDL-free file of src/ui is added here once.
# Every other file of src/ui belongs to the SDL backend, pgtviz_sdl.
set(PGTVIZ_VIEW_NAMES
  view.c view_model.c drawlist.c view_map.c view_pane.c view_strip.c view_diff.c view_chrome.c view_hit.c
  view_tables.c camera.c inspect.c view_inspect.c view_check.c input.c narrate.c picker.c session.c
  theme.c moment.c clip.c)
get_filename_component(_pgtviz_ui_dir "${CMAKE_CURRENT_LIST_DIR}/../src/ui" ABSOLUTE)
set(PGTVIZ_VIEW_SRC ${PGTVIZ_VIEW_NAMES})
list(TRANSFORM PGTVIZ_VIEW_SRC PREPEND "${_pgtviz_ui_dir}/")
