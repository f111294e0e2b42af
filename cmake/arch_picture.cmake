# The picture of the layers in docs/architecture.md, drawn from this build's
# own targets: for each library and the program, the directory and files it
# compiles (SOURCES) and what it links (LINK_LIBRARIES); for the browser
# build, the source groups src/web/CMakeLists.txt compiles.  Configuring
# writes it to BUILD/architecture-picture.md (a Mermaid flowchart, which
# GitHub draws and which reads as text elsewhere); ctest
# `architecture_picture` compares it with the block between the
# "layers:begin" and "layers:end" markers of docs/architecture.md, and
# `scripts/update-architecture.sh BUILD` writes it there
# (cmake/arch_picture_splice.cmake does both).

set(_pgtviz_arch_targets pgtviz pgtviz_sdl pgtviz_view pgtviz_load pgtviz_sys pgtviz_core)

# "a.c b.c c.c ..." broken into lines of at most 6 names, joined with <br/>.
function(_pgtviz_arch_names out)
  set(line "")
  set(lines "")
  set(n 0)
  foreach(f ${ARGN})
    if(n EQUAL 6)
      list(APPEND lines "${line}")
      set(line "")
      set(n 0)
    endif()
    if(line STREQUAL "")
      set(line "${f}")
    else()
      set(line "${line} ${f}")
    endif()
    math(EXPR n "${n} + 1")
  endforeach()
  if(NOT line STREQUAL "")
    list(APPEND lines "${line}")
  endif()
  list(JOIN lines "<br/>" joined)
  set(${out} "${joined}" PARENT_SCOPE)
endfunction()

# Source directories (relative) and file names of a target, sorted.
function(_pgtviz_arch_files target dirs_out names_out)
  get_target_property(srcs ${target} SOURCES)
  set(dirs "")
  set(names "")
  foreach(s ${srcs})
    get_filename_component(abs "${s}" ABSOLUTE BASE_DIR "${CMAKE_SOURCE_DIR}")
    file(RELATIVE_PATH rel "${CMAKE_SOURCE_DIR}" "${abs}")
    get_filename_component(d "${rel}" DIRECTORY)
    get_filename_component(nm "${rel}" NAME)
    list(APPEND dirs "${d}")
    list(APPEND names "${nm}")
  endforeach()
  list(REMOVE_DUPLICATES dirs)
  list(SORT dirs)
  list(SORT names)
  set(${dirs_out} "${dirs}" PARENT_SCOPE)
  set(${names_out} "${names}" PARENT_SCOPE)
endfunction()

function(pgtviz_arch_picture out_file)
  set(nodes "")
  set(edges "")
  foreach(t ${_pgtviz_arch_targets})
    if(NOT TARGET ${t})
      continue()
    endif()
    get_target_property(type ${t} TYPE)
    if(type STREQUAL "EXECUTABLE")
      set(kind "program")
    else()
      set(kind "library")
    endif()
    _pgtviz_arch_files(${t} dirs names)
    list(LENGTH names count)
    set(noun "files")
    if(count EQUAL 1)
      set(noun "file")
    endif()
    list(JOIN dirs ", " dirtext)
    _pgtviz_arch_names(files ${names})
    get_target_property(links ${t} LINK_LIBRARIES)
    set(ext "")
    foreach(l ${links})
      if(TARGET ${l} AND l MATCHES "^pgtviz")
        string(APPEND edges "  ${t} --> ${l}\n")
      else()
        get_filename_component(lname "${l}" NAME_WE)
        string(REGEX REPLACE "^PkgConfig::" "" lname "${lname}")
        string(REGEX REPLACE "^lib" "" lname "${lname}")
        list(APPEND ext "${lname}")
      endif()
    endforeach()
    set(exttext "")
    if(ext)
      list(JOIN ext ", " e)
      set(exttext "<br/><i>links ${e}</i>")
    endif()
    string(APPEND nodes
      "  ${t}[\"<b>${t}</b> (${kind}, ${dirtext}, ${count} ${noun})<br/>${files}${exttext}\"]\n")
  endforeach()
  # The browser build compiles source groups, not the libraries.
  set(web "${CMAKE_SOURCE_DIR}/src/web/CMakeLists.txt")
  if(EXISTS "${web}")
    file(READ "${web}" w)
    string(REGEX MATCH "add_executable\\(pgtviz-web[^)]*\\)" exe "${w}")
    set(webfiles "")
    string(REGEX MATCHALL "web_[a-z_]+\\.c" webfiles "${exe}")
    list(SORT webfiles)
    _pgtviz_arch_names(wf ${webfiles})
    string(APPEND nodes
      "  pgtviz_web[\"<b>browser build</b> (wasm, src/web; emcc)<br/>${wf}<br/>"
      "<i>compiles the sources of the libraries it points to</i>\"]\n")
    foreach(pair "VIEW_SRC;pgtviz_view" "LOAD_SRC;pgtviz_load" "CORE_SRC;pgtviz_core")
      list(GET pair 0 var)
      list(GET pair 1 lib)
      if(exe MATCHES "\\\${${var}}")
        string(APPEND edges "  pgtviz_web -.-> ${lib}\n")
      endif()
    endforeach()
  endif()
  file(WRITE "${out_file}"
    "```mermaid\n"
    "flowchart TD\n"
    "${nodes}"
    "${edges}"
    "```\n")
endfunction()
