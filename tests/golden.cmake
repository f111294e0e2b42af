# Golden frames (tests/golden_frames.sh): a representative set of exported
# gallery frames (scenarios, marker steps, 1280x720 and 1920x1080, every
# theme, PNG, SVG and one GIF) must stay byte-identical to the hashes in
# tests/golden/frames.sha256.  scripts/update-golden-frames.sh regenerates
# them for a change meant to alter pictures.
if(PGTVIZ_UI)
  add_test(NAME golden_frames
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/golden_frames.sh $<TARGET_FILE:pgtviz>)
  set_tests_properties(golden_frames PROPERTIES TIMEOUT 600 LABELS golden)
endif()
