# Clip length of --duration (ffprobe on the written GIF and MP4), --stride
# the --long confirmation and a camera clip's last frame (tests/clip_length.sh).
if(PGTVIZ_UI)
  foreach(c gif mp4 stride long end)
    add_test(NAME clip_length_${c}
      COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/clip_length.sh $<TARGET_FILE:pgtviz> ${c})
    set_tests_properties(clip_length_${c} PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77)
  endforeach()
endif()
