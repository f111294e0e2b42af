# Architecture checks (tests/layers.sh): src/core uses C11 + libc computation
# only (no SDL, cJSON, stdio file functions or clocks), the SDL-free view
# library (cmake/view_sources.cmake) includes and links no SDL, giflib or
# fontconfig, no source file exceeds 1,200 lines (the files still waiting
# for their split are listed in the script), and the files of src/core call
# each other one way only (tests/core_graph.sh: no #include cycle, no call
# cycle in the library's objects).  core_graph_selftest shows that the cycle
# check can fail.
add_test(NAME layers COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/layers.sh ${CMAKE_SOURCE_DIR}
         $<TARGET_FILE:pgtviz_core>)
add_test(NAME core_graph_selftest COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/core_graph_selftest.sh
         ${CMAKE_C_COMPILER})
# The picture of the layers in docs/architecture.md is the one the build's
# targets draw (cmake/arch_picture.cmake; scripts/update-architecture.sh
# rewrites it).  The full build only: without the UI there is no backend.
if(PGTVIZ_UI)
  add_test(NAME architecture_picture
           COMMAND ${CMAKE_COMMAND} -DPICTURE=${CMAKE_BINARY_DIR}/architecture-picture.md
                   -DDOC=${CMAKE_SOURCE_DIR}/docs/architecture.md -DMODE=check
                   -P ${CMAKE_SOURCE_DIR}/cmake/arch_picture_splice.cmake)
  set_tests_properties(architecture_picture PROPERTIES LABELS "layers")
endif()
