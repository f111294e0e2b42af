# Bad inputs of the command line (tests/bad_input.tsv): one ctest case per
# row, run by tests/bad_input.sh against the real binary.  Each row gives the
# exit status and the exact first line of stderr; the script also checks
# that nothing was written, and that commands given a 100 MB file answer
# within 2 s.  Rows marked "ui" are skipped (with a message) when the binary
# was built without the UI.  docs/reliability.md explains each row.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_SOURCE_DIR}/bad_input.tsv)
# (The ids are matched in the raw text: file(STRINGS) would split rows at the
# ';' some messages contain.)
file(READ ${CMAKE_CURRENT_SOURCE_DIR}/bad_input.tsv PGTVIZ_BAD_INPUT_TEXT)
string(REGEX MATCHALL "\n[^#\n\t][^\t\n]*\t" PGTVIZ_BAD_INPUT_IDS "\n${PGTVIZ_BAD_INPUT_TEXT}")
foreach(m ${PGTVIZ_BAD_INPUT_IDS})
  string(STRIP "${m}" id)
  add_test(NAME bad_input_${id}
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/bad_input.sh $<TARGET_FILE:pgtviz>
      ${CMAKE_CURRENT_SOURCE_DIR}/bad_input.tsv ${id})
  set_tests_properties(bad_input_${id} PROPERTIES TIMEOUT 300 LABELS bad_input)
endforeach()
