# The kernel as the oracle (label `oracle`; scripts/oracle.sh, docs/fidelity.md).
#  - oracle_cases: stored boots of Debian's 6.1 kernel (tests/oracle/cases:
#    log, QEMU command line, shape) that pgtviz reproduces page for page;
#  - oracle_cases_6_12: the same for Debian's 6.12.118 (612-*: two
#    movable_node boots that depend on _end, one 256 GiB boot);
#  - oracle_kaslr_inferred: stored boots where memory KASLR put the direct
#    map across a PGD slot (one PUD page more than the log alone predicts):
#    exact once `check` infers that from the pages, and said so;
#  - oracle_check_pages: `pgtviz check` on a memblock=debug log compares
#    table pages;
#  - oracle_boots: the CI set (tests/oracle/ci-set.txt) booted in QEMU, two
#    at a time.  Only in the plain build: the sanitized build runs the three
#    tests above on the stored logs with its instrumented pgtviz and does not
#    boot again (the boots test the kernel, not pgtviz's memory safety).
set(ORACLE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/oracle/cases)
set(ORACLE_SH ${CMAKE_CURRENT_SOURCE_DIR}/../scripts/oracle.sh)
add_test(NAME oracle_cases COMMAND bash ${ORACLE_SH} --compare
  ${ORACLE_DIR}/late-dump-4g.log ${ORACLE_DIR}/kaslr-brk-above-4g.log
  ${ORACLE_DIR}/movable-nopse-6g.log)
add_test(NAME oracle_kaslr_inferred COMMAND bash ${ORACLE_SH} --compare
  ${ORACLE_DIR}/kaslr-crossing-1054.log ${ORACLE_DIR}/kaslr-crossing-1067.log
  ${ORACLE_DIR}/kaslr-crossing-1119.log ${ORACLE_DIR}/kaslr-crossing-1192.log)
add_test(NAME oracle_cases_6_12 COMMAND bash ${ORACLE_SH} --compare
  ${ORACLE_DIR}/612-movable-4k-1g.log ${ORACLE_DIR}/612-movable-128g-initrd.log
  ${ORACLE_DIR}/612-256g.log)
set_tests_properties(oracle_kaslr_inferred PROPERTIES PASS_REGULAR_EXPRESSION
  "oracle: 4 of 4 boots exact \\(4 with memory KASLR's PGD slot inferred from the pages; 0 from the log alone\\)")
add_test(NAME oracle_check_pages COMMAND $<TARGET_FILE:pgtviz> check ${ORACLE_DIR}/late-dump-4g.log)
set_tests_properties(oracle_check_pages PROPERTIES
  PASS_REGULAR_EXPRESSION "check: 3 of 3 table pages match \\(model top-down 6\\.1")
set(ORACLE_TESTS oracle_cases oracle_cases_6_12 oracle_kaslr_inferred oracle_check_pages)
if(NOT PGTVIZ_SANITIZE)
  add_test(NAME oracle_boots COMMAND bash ${ORACLE_SH} --set
    ${CMAKE_CURRENT_SOURCE_DIR}/oracle/ci-set.txt --jobs 2 --out ${CMAKE_CURRENT_BINARY_DIR}/oracle-ci)
  set_tests_properties(oracle_boots PROPERTIES TIMEOUT 1500 PROCESSORS 2 SKIP_RETURN_CODE 77)
  list(APPEND ORACLE_TESTS oracle_boots)
endif()
set_tests_properties(${ORACLE_TESTS} PROPERTIES LABELS oracle
  ENVIRONMENT "PGTVIZ=$<TARGET_FILE:pgtviz>")
