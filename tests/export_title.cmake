# export --title and the slide's title from the panes (tests/export_title.sh).
if(PGTVIZ_UI)
  add_test(NAME export_title
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/export_title.sh $<TARGET_FILE:pgtviz>)
  set_tests_properties(export_title PROPERTIES TIMEOUT 600)
endif()
