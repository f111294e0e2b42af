# Architecture checks (tests/layers.sh): src/core uses C11 + libc computation
# only (no SDL, cJSON, stdio file functions or clocks), the SDL-free view
# library (cmake/view_sources.cmake) includes and links no SDL, giflib or
# fontconfig, and no source file exceeds 1,200 lines (the files still waiting
# for their split are listed in the script).
add_test(NAME layers COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/layers.sh ${CMAKE_SOURCE_DIR})
