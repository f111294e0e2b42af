# The browser build, optional: the core, loaders and SDL-free view compiled
# to WebAssembly by Emscripten (src/web/CMakeLists.txt, its own project,
# configured here with emcmake as an ExternalProject) plus the three fonts
# subset to WOFF2 with fontTools.  Both land in ${PGTVIZ_WEB_BUILD_DIR},
# where `pgtviz export -o X.html` reads them.
#
# Needs (scripts/deps.sh web): emcmake/emcc (Debian's emscripten), node with
# Debian's node-acorn (optimised builds), Debian's cJSON *source* (no wasm
# cJSON is packaged: deps.sh unpacks `apt-get source cjson` into
# /usr/local/src/pgtviz), python3 with fontTools + brotli, fontconfig's
# fc-match.  PGTVIZ_WEB=AUTO turns the build on when all are there and says
# what is missing otherwise; ON makes a missing piece an error.
set(PGTVIZ_WEB_ENABLED OFF)
set(PGTVIZ_WEB_BUILD_DIR "")
if(PGTVIZ_WEB STREQUAL "OFF" OR NOT PGTVIZ_UI)
  return()
endif()

set(_web_missing "")
find_program(PGTVIZ_EMCMAKE emcmake)
find_program(PGTVIZ_NODE node)
if(NOT PGTVIZ_EMCMAKE)
  list(APPEND _web_missing "emcmake (Debian package emscripten)")
endif()
if(NOT PGTVIZ_NODE)
  list(APPEND _web_missing "node")
endif()
# Debian's node-acorn lives in /usr/share/nodejs; a node from elsewhere does
# not look there, so the build passes NODE_PATH.
set(PGTVIZ_NODE_PATH "/usr/share/nodejs" CACHE PATH "Where Debian's node-acorn is")
if(NOT EXISTS "${PGTVIZ_NODE_PATH}/acorn")
  list(APPEND _web_missing "node-acorn (${PGTVIZ_NODE_PATH}/acorn)")
endif()

file(GLOB _cjson_found LIST_DIRECTORIES false /usr/local/src/pgtviz/cjson-*/cJSON.c)
set(_cjson_default "")
if(_cjson_found)
  list(GET _cjson_found 0 _c)
  get_filename_component(_cjson_default "${_c}" DIRECTORY)
endif()
set(PGTVIZ_CJSON_SRC "${_cjson_default}" CACHE PATH "Debian's cJSON source tree for the wasm build")
if(NOT EXISTS "${PGTVIZ_CJSON_SRC}/cJSON.c")
  list(APPEND _web_missing "Debian's cJSON source (scripts/deps.sh web)")
endif()

# A python3 with fontTools (Debian's python3-fonttools is /usr/bin/python3's).
set(PGTVIZ_FONT_PYTHON "" CACHE FILEPATH "python3 with fontTools and brotli")
if(NOT PGTVIZ_FONT_PYTHON)
  foreach(_py /usr/bin/python3 python3)
    execute_process(COMMAND ${_py} -c "import fontTools.subset, brotli"
                    RESULT_VARIABLE _r OUTPUT_QUIET ERROR_QUIET)
    if(_r EQUAL 0)
      set(PGTVIZ_FONT_PYTHON "${_py}" CACHE FILEPATH "python3 with fontTools and brotli" FORCE)
      break()
    endif()
  endforeach()
endif()
if(NOT PGTVIZ_FONT_PYTHON)
  list(APPEND _web_missing "python3 with fontTools and brotli (python3-fonttools python3-brotli)")
endif()

# The faces the native renderer uses (src/ui/font.c asks fontconfig the same).
find_program(PGTVIZ_FC_MATCH fc-match)
set(_faces sans "sans-serif" mono "monospace" bold "sans-serif:bold")
set(_font_files "")
if(PGTVIZ_FC_MATCH)
  while(_faces)
    list(POP_FRONT _faces _name _pattern)
    execute_process(COMMAND ${PGTVIZ_FC_MATCH} -f "%{file}" "${_pattern}"
                    OUTPUT_VARIABLE _file RESULT_VARIABLE _r ERROR_QUIET)
    if(NOT _r EQUAL 0 OR NOT EXISTS "${_file}")
      list(APPEND _web_missing "a font for '${_pattern}'")
    endif()
    list(APPEND _font_files "${_name}" "${_file}")
  endwhile()
else()
  list(APPEND _web_missing "fc-match (fontconfig)")
endif()

if(_web_missing)
  string(REPLACE ";" ", " _m "${_web_missing}")
  if(PGTVIZ_WEB STREQUAL "ON")
    message(FATAL_ERROR "PGTVIZ_WEB=ON but missing: ${_m}")
  endif()
  message(STATUS "pgtviz: browser build off (HTML export and browser tests skipped); missing: ${_m}")
  return()
endif()

set(PGTVIZ_WEB_ENABLED ON)
set(PGTVIZ_WEB_BUILD_DIR "${CMAKE_BINARY_DIR}/web")
message(STATUS "pgtviz: browser build on (${PGTVIZ_WEB_BUILD_DIR})")

include(ExternalProject)
ExternalProject_Add(pgtviz_wasm
  SOURCE_DIR "${CMAKE_SOURCE_DIR}/src/web"
  BINARY_DIR "${PGTVIZ_WEB_BUILD_DIR}"
  CONFIGURE_COMMAND ${CMAKE_COMMAND} -E env NODE_PATH=${PGTVIZ_NODE_PATH}
    ${PGTVIZ_EMCMAKE} ${CMAKE_COMMAND} -S "${CMAKE_SOURCE_DIR}/src/web" -B "${PGTVIZ_WEB_BUILD_DIR}"
    -DCMAKE_BUILD_TYPE=Release "-DPGTVIZ_CJSON_SRC=${PGTVIZ_CJSON_SRC}"
    -DPGTVIZ_WERROR=${PGTVIZ_WERROR}
  BUILD_COMMAND ${CMAKE_COMMAND} -E env NODE_PATH=${PGTVIZ_NODE_PATH}
    ${CMAKE_COMMAND} --build "${PGTVIZ_WEB_BUILD_DIR}"
  INSTALL_COMMAND ""
  BUILD_ALWAYS ON
  BUILD_BYPRODUCTS "${PGTVIZ_WEB_BUILD_DIR}/pgtviz-web.js"
  USES_TERMINAL_BUILD ON)

# Subsets: the characters pgtviz and its scenarios write (Latin-1, general
# punctuation, arrows, maths, box drawing and shapes), WOFF2.
set(_unicodes "U+0020-007E,U+00A0-00FF,U+2010-205E,U+2190-21FF,U+2200-22FF,U+2500-25FF")
set(_font_outputs "")
while(_font_files)
  list(POP_FRONT _font_files _name _file)
  set(_out "${PGTVIZ_WEB_BUILD_DIR}/fonts/${_name}.woff2")
  add_custom_command(OUTPUT "${_out}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${PGTVIZ_WEB_BUILD_DIR}/fonts"
    COMMAND ${PGTVIZ_FONT_PYTHON} -m fontTools.subset "${_file}" "--unicodes=${_unicodes}"
      --flavor=woff2 --layout-features=* "--output-file=${_out}"
    DEPENDS "${_file}"
    COMMENT "Subsetting ${_file} for the browser build"
    VERBATIM)
  list(APPEND _font_outputs "${_out}")
endwhile()
add_custom_target(pgtviz_web_fonts DEPENDS ${_font_outputs})
add_custom_target(pgtviz_web DEPENDS pgtviz_wasm pgtviz_web_fonts)
