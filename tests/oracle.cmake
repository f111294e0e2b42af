# The kernel as the oracle (label `oracle`; scripts/oracle.sh, docs/fidelity.md).
#  - oracle_cases: stored boots of Debian's 6.1 kernel (tests/oracle/cases:
#    log, QEMU command line, shape) that pgtviz reproduces page for page;
#  - oracle_cases_6_12: the same for Debian's 6.12.118 (612-*: two
#    movable_node boots that depend on _end, one 256 GiB boot);
#  - oracle_kaslr_inferred: stored boots where memory KASLR put the direct
#    map across a PGD slot (one PUD page more than the log alone predicts):
#    exact once `check` infers that from the pages, and said so;
#  - oracle_cases_i386: stored boots of Debian's 6.1 686-pae and 686
#    kernels (i386-*: 4k-only guests whose BRK runs dry, so that the
#    fixmap's pages, the initrd moved out of highmem and the pkmap page show
#    in the log);
#  - oracle_check_pages, oracle_check_pages_i386: `pgtviz check` on a
#    memblock=debug log compares table pages (the i386 one: the fixmap's
#    block of two pages taken at once, 8192 bytes, counts as two);
#  - oracle_cases_efi, oracle_efi_rule_*: Debian's 6.1 booted under OVMF
#    (efi-*): exact page for page; and with the kernel's own
#    efi_reserve_boot_services lines removed, still exact from pgtviz's EFI
#    rule applied to the printed EFI map (tests/oracle_efi_rule.sh), while
#    without the map too it misses pages;
#  - oracle_boots, oracle_boots_i386: the CI sets (tests/oracle/ci-set.txt
#    on Debian's cloud kernel, tests/oracle/ci-set-i386.txt on its 686-pae
#    kernel in qemu-system-i386) booted in QEMU, two at a time.  Only in the plain build: the sanitized build runs the three
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
add_test(NAME oracle_cases_i386 COMMAND bash ${ORACLE_SH} --compare
  ${ORACLE_DIR}/i386-pae-4k-1g-initrd.log ${ORACLE_DIR}/i386-pae-4k-1g-kaslr.log
  ${ORACLE_DIR}/i386-pae-4k-3g-mem.log ${ORACLE_DIR}/i386-686-4k-768m-kaslr.log
  ${ORACLE_DIR}/i386-686-4k-1g-initrd.log)
set_tests_properties(oracle_cases_i386 PROPERTIES PASS_REGULAR_EXPRESSION
  "oracle: 5 of 5 boots exact")
add_test(NAME oracle_check_pages_i386 COMMAND $<TARGET_FILE:pgtviz> check
  ${ORACLE_DIR}/i386-pae-4k-1g-initrd.log --no-pse)
set_tests_properties(oracle_check_pages_i386 PROPERTIES PASS_REGULAR_EXPRESSION
  "check: 421 of 421 table pages match \\(model top-down 6\\.1\\.192 i386 PAE \\(6 BRK pages")
add_test(NAME oracle_cases_efi COMMAND bash ${ORACLE_SH} --compare
  ${ORACLE_DIR}/efi-q35-4k-1g.log ${ORACLE_DIR}/efi-pc-4k-512m-kaslr.log)
set_tests_properties(oracle_cases_efi PROPERTIES PASS_REGULAR_EXPRESSION
  "oracle: 2 of 2 boots exact")
foreach(efi_log efi-q35-4k-1g efi-pc-4k-512m-kaslr)
  add_test(NAME oracle_efi_rule_${efi_log} COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/oracle_efi_rule.sh
    $<TARGET_FILE:pgtviz> ${ORACLE_DIR}/${efi_log}.log --no-pse)
  list(APPEND ORACLE_EFI_TESTS oracle_efi_rule_${efi_log})
endforeach()
set(ORACLE_TESTS oracle_cases oracle_cases_6_12 oracle_kaslr_inferred oracle_check_pages
  oracle_cases_i386 oracle_check_pages_i386 oracle_cases_efi ${ORACLE_EFI_TESTS})
if(NOT PGTVIZ_SANITIZE)
  add_test(NAME oracle_boots COMMAND bash ${ORACLE_SH} --set
    ${CMAKE_CURRENT_SOURCE_DIR}/oracle/ci-set.txt --jobs 2 --out ${CMAKE_CURRENT_BINARY_DIR}/oracle-ci)
  set_tests_properties(oracle_boots PROPERTIES TIMEOUT 1500 PROCESSORS 2 SKIP_RETURN_CODE 77)
  add_test(NAME oracle_boots_i386 COMMAND bash ${ORACLE_SH} --arch i386 --set
    ${CMAKE_CURRENT_SOURCE_DIR}/oracle/ci-set-i386.txt --jobs 2 --out ${CMAKE_CURRENT_BINARY_DIR}/oracle-ci-i386)
  set_tests_properties(oracle_boots_i386 PROPERTIES TIMEOUT 1500 PROCESSORS 2 SKIP_RETURN_CODE 77)
  list(APPEND ORACLE_TESTS oracle_boots oracle_boots_i386)
endif()
set_tests_properties(${ORACLE_TESTS} PROPERTIES LABELS oracle
  ENVIRONMENT "PGTVIZ=$<TARGET_FILE:pgtviz>")
# oracle_kaslr_measured: a 192 GiB KASLR boot whose direct map starts 510 GiB
# into its PGD slot (measured in QEMU, kaslr-measured-196g.base): exact from
# the log and the measured base, with no inference; with the slot-aligned
# base instead one page differs (the crossing's PUD page is missing).
add_test(NAME oracle_kaslr_measured COMMAND bash ${ORACLE_SH} --compare
  ${ORACLE_DIR}/kaslr-measured-196g.log)
set_tests_properties(oracle_kaslr_measured PROPERTIES PASS_REGULAR_EXPRESSION
  "RAM crosses into a second PGD slot in 1 of them\noracle: 1 of 1 boots exact\n")
add_test(NAME oracle_check_measured_base COMMAND $<TARGET_FILE:pgtviz> check
  ${ORACLE_DIR}/kaslr-measured-196g.log --direct-map-base 0xffff8c7f80000000)
set_tests_properties(oracle_check_measured_base PROPERTIES PASS_REGULAR_EXPRESSION
  "physical 0 sits 510 GiB into its PGD slot.*check: 181 of 181 table pages match")
add_test(NAME oracle_check_aligned_base COMMAND $<TARGET_FILE:pgtviz> check
  ${ORACLE_DIR}/kaslr-measured-196g.log --direct-map-base 0xffff888000000000)
set_tests_properties(oracle_check_aligned_base PROPERTIES PASS_REGULAR_EXPRESSION
  "check: 180 of 181 table pages match")
set_tests_properties(oracle_kaslr_measured oracle_check_measured_base oracle_check_aligned_base
  PROPERTIES LABELS oracle ENVIRONMENT "PGTVIZ=$<TARGET_FILE:pgtviz>")
