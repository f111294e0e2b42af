# valgrind_cli: pgtviz log/check/import/export under valgrind --leak-check=full
# (tests/valgrind_cli.sh).  Reported as skipped, with the reason, when
# valgrind is missing or the build uses sanitizers.
add_test(NAME valgrind_cli
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/valgrind_cli.sh $<TARGET_FILE:pgtviz>
    ${CMAKE_CURRENT_SOURCE_DIR} ${PGTVIZ_SANITIZE} ${PGTVIZ_UI})
set_tests_properties(valgrind_cli PROPERTIES TIMEOUT 900 SKIP_RETURN_CODE 77 LABELS valgrind)
