# The examples of `pgtviz export --help` run as printed (tests/export_help.sh).
if(PGTVIZ_UI)
  add_test(NAME export_help
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/export_help.sh $<TARGET_FILE:pgtviz>)
  set_tests_properties(export_help PROPERTIES TIMEOUT 600)
endif()
