# Fuzz targets (tests/fuzz/fuzz_*.c, docs/reliability.md).
#
# Every target defines LLVMFuzzerTestOneInput.  By default (any compiler) it
# is linked with tests/fuzz/replay_main.c into fuzz_replay_<target>, and
# ctest replays the checked-in corpus tests/fuzz/corpus/<target>/ and the
# crash reproducers tests/fuzz/regressions/<target>/ through it.
#
# With clang, -DPGTVIZ_FUZZ=ON also builds the real libFuzzer binaries
# fuzz_<target> (-fsanitize=fuzzer,address,undefined).  pgtviz_core and
# pgtviz_load are then compiled with -fsanitize=fuzzer-no-link,address,
# undefined, so that libFuzzer sees their coverage, and everything that
# links them gets the sanitizer runtimes: use a build directory of its own
# (docs/reliability.md has the command lines).
option(PGTVIZ_FUZZ "Build the libFuzzer targets (clang only)" OFF)

set(PGTVIZ_FUZZ_DIR ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
set(PGTVIZ_FUZZ_TARGETS scenario dmesg core json)

foreach(t ${PGTVIZ_FUZZ_TARGETS})
  add_executable(fuzz_replay_${t} ${PGTVIZ_FUZZ_DIR}/fuzz_${t}.c
    ${PGTVIZ_FUZZ_DIR}/fuzz_common.c ${PGTVIZ_FUZZ_DIR}/replay_main.c)
  target_include_directories(fuzz_replay_${t} PRIVATE ${PGTVIZ_FUZZ_DIR})
  target_compile_options(fuzz_replay_${t} PRIVATE ${PGTVIZ_WARNINGS})
  target_link_libraries(fuzz_replay_${t} PRIVATE pgtviz_load pgtviz_core)
  add_test(NAME fuzz_corpus_${t}
    COMMAND fuzz_replay_${t} ${PGTVIZ_FUZZ_DIR}/corpus/${t})
  set_tests_properties(fuzz_corpus_${t} PROPERTIES TIMEOUT 900 LABELS fuzz)
  # Crash reproducers: one test per target once there is at least one.
  file(GLOB regressions CONFIGURE_DEPENDS ${PGTVIZ_FUZZ_DIR}/regressions/${t}/*)
  list(FILTER regressions EXCLUDE REGEX "/\\.[^/]*$")
  if(regressions)
    add_test(NAME fuzz_regressions_${t}
      COMMAND fuzz_replay_${t} ${PGTVIZ_FUZZ_DIR}/regressions/${t})
    set_tests_properties(fuzz_regressions_${t} PROPERTIES TIMEOUT 900 LABELS fuzz)
  endif()
endforeach()

# fuzz_export_opts: the option parsing of `pgtviz export`.  cmd_export.c is
# compiled into the target (fuzz_export_opts.c includes it), with the other
# sources of the program except main.c, so it is fuzzed with the command's
# own option table.  Needs the UI (cmd_export.c is the SDL front end's).
if(PGTVIZ_UI)
  file(GLOB PGTVIZ_FUZZ_APP_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/app/*.c)
  list(FILTER PGTVIZ_FUZZ_APP_SRC EXCLUDE REGEX "/(main|cmd_export)\\.c$")
  set(PGTVIZ_FUZZ_EXPORT_OPTS_SRC ${PGTVIZ_FUZZ_DIR}/fuzz_export_opts.c
    ${PGTVIZ_FUZZ_DIR}/fuzz_common.c ${PGTVIZ_FUZZ_APP_SRC})
  function(pgtviz_fuzz_export_opts_target name)
    target_include_directories(${name} PRIVATE ${PGTVIZ_FUZZ_DIR} ${CMAKE_SOURCE_DIR}/src/app)
    target_compile_definitions(${name} PRIVATE $<TARGET_PROPERTY:pgtviz,COMPILE_DEFINITIONS>)
    target_compile_options(${name} PRIVATE ${PGTVIZ_WARNINGS})
    target_link_libraries(${name} PRIVATE pgtviz_sdl pgtviz_view pgtviz_load pgtviz_core pgtviz_sys)
  endfunction()
  add_executable(fuzz_replay_export_opts ${PGTVIZ_FUZZ_EXPORT_OPTS_SRC}
    ${PGTVIZ_FUZZ_DIR}/replay_main.c)
  pgtviz_fuzz_export_opts_target(fuzz_replay_export_opts)
  add_test(NAME fuzz_corpus_export_opts
    COMMAND fuzz_replay_export_opts ${PGTVIZ_FUZZ_DIR}/corpus/export_opts)
  set_tests_properties(fuzz_corpus_export_opts PROPERTIES TIMEOUT 900 LABELS fuzz)
  file(GLOB regressions CONFIGURE_DEPENDS ${PGTVIZ_FUZZ_DIR}/regressions/export_opts/*)
  if(regressions)
    add_test(NAME fuzz_regressions_export_opts
      COMMAND fuzz_replay_export_opts ${PGTVIZ_FUZZ_DIR}/regressions/export_opts)
    set_tests_properties(fuzz_regressions_export_opts PROPERTIES TIMEOUT 900 LABELS fuzz)
  endif()
  if(PGTVIZ_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
    add_executable(fuzz_export_opts ${PGTVIZ_FUZZ_EXPORT_OPTS_SRC})
    pgtviz_fuzz_export_opts_target(fuzz_export_opts)
    target_compile_options(fuzz_export_opts PRIVATE
      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(fuzz_export_opts PRIVATE -fsanitize=fuzzer,address,undefined)
  endif()
endif()

if(PGTVIZ_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(WARNING "PGTVIZ_FUZZ needs clang (libFuzzer); ${CMAKE_C_COMPILER_ID} "
      "builds only the corpus replays. Configure with -DCMAKE_C_COMPILER=clang.")
  else()
    foreach(lib pgtviz_core pgtviz_load)
      target_compile_options(${lib} PRIVATE -fsanitize=fuzzer-no-link,address,undefined
        -fno-sanitize-recover=all -fno-omit-frame-pointer)
      target_link_options(${lib} INTERFACE -fsanitize=address,undefined)
    endforeach()
    foreach(t ${PGTVIZ_FUZZ_TARGETS})
      add_executable(fuzz_${t} ${PGTVIZ_FUZZ_DIR}/fuzz_${t}.c ${PGTVIZ_FUZZ_DIR}/fuzz_common.c)
      target_include_directories(fuzz_${t} PRIVATE ${PGTVIZ_FUZZ_DIR})
      target_compile_options(fuzz_${t} PRIVATE ${PGTVIZ_WARNINGS}
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
      target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer,address,undefined)
      target_link_libraries(fuzz_${t} PRIVATE pgtviz_load pgtviz_core)
    endforeach()
  endif()
endif()
