# export --inspect: the inspector in exported frames (tests/export_inspect.sh).
if(PGTVIZ_UI)
  add_test(NAME export_inspect
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/export_inspect.sh $<TARGET_FILE:pgtviz>)
  set_tests_properties(export_inspect PROPERTIES TIMEOUT 600)
endif()
