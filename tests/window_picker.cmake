# The picker opens on the scenario on screen; the window's --title
# (tests/window_picker.sh, under Xvfb).  Status 3 (no display on its Xvfb)
# is retried once, as ui_window_inputs does.
if(PGTVIZ_UI)
  add_test(NAME ui_window_picker
    COMMAND sh -c "sh \"$0\" \"$1\" \"$2\"; rc=$?; if [ $rc -eq 3 ]; then echo 'retry: the window did not come up; once more on a new display'; sh \"$0\" \"$1\" \"$2\"; rc=$?; fi; exit $rc"
      ${CMAKE_CURRENT_SOURCE_DIR}/window_picker.sh $<TARGET_FILE:pgtviz>
      ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(ui_window_picker PROPERTIES TIMEOUT 300)
endif()
