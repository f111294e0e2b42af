# Output safety (tests/output_safety.sh): every writer on a full disk (a
# small tmpfs mounted by the test; skipped with the reason when the machine
# does not allow it), special files, symlinks, O_EXCL temporaries, output ==
# input, SIGTERM/SIGINT during an export and an ignored SIGHUP.
# docs/reliability.md lists what each case now gets.
foreach(c full-import full-png full-svg full-gif full-mp4 full-webm full-html full-pngseq-new
          full-pngseq-existing special symlink tmp-excl same-input interrupt signal-window prefs-fifo)
  add_test(NAME output_safety_${c}
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/output_safety.sh $<TARGET_FILE:pgtviz> ${c})
  set_tests_properties(output_safety_${c} PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77
    LABELS output_safety)
endforeach()
