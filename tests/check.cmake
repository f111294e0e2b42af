# `pgtviz check` behaviours beyond the real logs (tests/realworld.cmake).
add_test(NAME check_infers_sizing_backport
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/check/expect.sh $<TARGET_FILE:pgtviz> 0
    "check: 8 of 8 lines match (model pgtbuf 3.6 (sizing A"
    "sizing variant A or C inferred from the log's table-buffer line"
    check ${CMAKE_CURRENT_SOURCE_DIR}/check/sizing-backport-3.6.log)
add_test(NAME check_sizing_option_is_obeyed
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/check/expect.sh $<TARGET_FILE:pgtviz> 1
    "check: 7 of 8 lines match (model pgtbuf 3.6 (sizing B"
    "kernel direct mapping tables"
    check --sizing B ${CMAKE_CURRENT_SOURCE_DIR}/check/sizing-backport-3.6.log)
# `--kernel V` alone runs the scheme V used (pc-4g's first scheme is pgtbuf;
# 3.9 is top-down), and a scenario's own scheme when it models V.
add_test(NAME cli_kernel_picks_its_scheme
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/check/expect.sh $<TARGET_FILE:pgtviz> 0
    "    73 step-size" "# top-down 3.9 (5 BRK pages"
    trace pc-4g --kernel 3.9)
add_test(NAME cli_kernel_keeps_the_scenarios_scheme
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/check/expect.sh $<TARGET_FILE:pgtviz> 0
    "" "# bottom-up 3.19 (6 BRK pages"
    trace ${CMAKE_SOURCE_DIR}/scenarios/movable-node.json --kernel 3.19)
