# UI tests beyond the test_ui_*.c programs: the real window under Xvfb
# (skipped with a message when Xvfb/xdotool/imagemagick are missing), and
# "no display" handling.
if(PGTVIZ_UI)
  add_test(NAME ui_window_smoke
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/ui_smoke.sh $<TARGET_FILE:pgtviz>)
  set_tests_properties(ui_window_smoke PROPERTIES TIMEOUT 600)
  # What the window reads later (typed paths, the check panel's log):
  # FIFOs, devices, directories, loops, long paths never block or crash it.
  # Status 3 (the window found no display on its Xvfb) is retried once, and
  # says so; a failing input case (status 1) is not.
  add_test(NAME ui_window_inputs
    COMMAND sh -c "sh \"$0\" \"$1\" \"$2\"; rc=$?; if [ $rc -eq 3 ]; then echo 'retry: the window did not come up; once more on a new display'; sh \"$0\" \"$1\" \"$2\"; rc=$?; fi; exit $rc"
      ${CMAKE_CURRENT_SOURCE_DIR}/window_inputs.sh $<TARGET_FILE:pgtviz>
      ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(ui_window_inputs PROPERTIES TIMEOUT 600)
  # A DISPLAY that nobody serves: the window says so and exits 2 instead of
  # running on SDL's offscreen driver, where nobody sees it (SDL 2.26 goes on
  # to it when X11 and Wayland fail).
  add_test(NAME ui_window_display_refused
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/window_display_refused.sh $<TARGET_FILE:pgtviz>)
  set_tests_properties(ui_window_display_refused PROPERTIES TIMEOUT 120)
  # Without a display the window says so, names the export command, exits 2.
  add_test(NAME ui_window_no_display
    COMMAND env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER $<TARGET_FILE:pgtviz> window pc-4g)
  set_tests_properties(ui_window_no_display PROPERTIES
    WILL_FAIL FALSE
    PASS_REGULAR_EXPRESSION "pgtviz export pc-4g")
endif()
