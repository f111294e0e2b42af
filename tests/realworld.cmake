# Real boot logs (tests/realworld/*.log, copied from public pastes): one ctest
# case per log.  `pgtviz import` must succeed and `pgtviz check` must report
# exactly the counts recorded in tests/realworld/expected.tsv
# (file, matched, compared, exit; tab-separated).  A log without a row fails,
# so a new log cannot be added silently.  Driver: tests/run_check.sh.
file(GLOB PGTVIZ_REALWORLD_LOGS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/realworld/*.log)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_SOURCE_DIR}/realworld/expected.tsv)
file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/realworld/expected.tsv PGTVIZ_REALWORLD_ROWS)

foreach(log ${PGTVIZ_REALWORLD_LOGS})
  get_filename_component(file ${log} NAME)
  string(REGEX REPLACE "\\.log$" "" stem "${file}")
  set(args "")
  foreach(row ${PGTVIZ_REALWORLD_ROWS})
    string(REPLACE "\t" ";" fields "${row}")
    list(LENGTH fields n)
    if(n EQUAL 4)
      list(GET fields 0 f)
      if(f STREQUAL file)
        list(GET fields 1 matched)
        list(GET fields 2 compared)
        list(GET fields 3 code)
        set(args ${matched} ${compared} ${code})
      endif()
    endif()
  endforeach()
  add_test(NAME realworld_${stem}
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/run_check.sh $<TARGET_FILE:pgtviz> ${log} ${args})
  set_tests_properties(realworld_${stem} PROPERTIES TIMEOUT 300 LABELS realworld)
endforeach()
