# Browser tests of the HTML lesson (tests/web/): headless Chromium, no
# network, real key events, compared with the native PNG export.  Skipped
# (with the reason) when the browser build or Chromium is not there.
find_program(PGTVIZ_NODE_BIN node)
# The page's key table is C (src/web/web_keys.c, also in the wasm build);
# test_ui_web_keys checks it natively, browser build or not.
if(TARGET test_ui_web_keys)
  target_sources(test_ui_web_keys PRIVATE ${CMAKE_SOURCE_DIR}/src/web/web_keys.c)
  target_include_directories(test_ui_web_keys PRIVATE ${CMAKE_SOURCE_DIR}/src/web)
endif()
if(PGTVIZ_WEB_ENABLED AND PGTVIZ_NODE_BIN)
  # The native renderer's text boxes (SDL_ttf), for the comparison's mask.
  add_executable(web_text_size ${CMAKE_CURRENT_SOURCE_DIR}/web/text_size.c)
  target_link_libraries(web_text_size PRIVATE pgtviz_sdl)
  target_compile_options(web_text_size PRIVATE ${PGTVIZ_WARNINGS})
  add_test(NAME web_browser COMMAND ${PGTVIZ_NODE_BIN}
    ${CMAKE_CURRENT_SOURCE_DIR}/web/browser_test.mjs $<TARGET_FILE:pgtviz> xen-live-patient
    ${CMAKE_CURRENT_BINARY_DIR}/web-browser
    ${CMAKE_CURRENT_SOURCE_DIR}/realworld/006-dell-e6510-3.9.8-brk.log
    ${CMAKE_CURRENT_SOURCE_DIR}/web/bad-scenario.json $<TARGET_FILE:web_text_size>)
  add_test(NAME web_deck COMMAND ${PGTVIZ_NODE_BIN}
    ${CMAKE_CURRENT_SOURCE_DIR}/web/deck_test.mjs $<TARGET_FILE:pgtviz>
    ${CMAKE_SOURCE_DIR}/docs/examples/deck.html ${CMAKE_CURRENT_BINARY_DIR}/web-deck)
  set_tests_properties(web_browser web_deck PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900
    LABELS web RUN_SERIAL ON)
else()
  add_test(NAME web_browser COMMAND ${CMAKE_COMMAND} -E echo
    "SKIP: the browser build is off (configure says what is missing; scripts/deps.sh web)")
  set_tests_properties(web_browser PROPERTIES SKIP_REGULAR_EXPRESSION "SKIP:" LABELS web)
endif()
