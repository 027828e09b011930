# Helpers every directory uses, so a test or fuzz target is one line.

# pxe_add_unit_test(NAME SOURCES a.c b.c LIBS lib1 lib2)
# A cmocka program run by ctest; one test program per process.
function(pxe_add_unit_test name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${A_SOURCES})
  target_link_libraries(${name} PRIVATE ${A_LIBS} cmocka)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS unit TIMEOUT 120)
endfunction()

# pxe_add_shell_test(NAME SCRIPT path [LABELS l] [TIMEOUT s])
# A script run with the build dir in PXE_BUILD and the source dir in PXE_SRC.
# Exit 77 means skipped (no root, no netns, missing client) and is reported so.
function(pxe_add_shell_test name)
  cmake_parse_arguments(A "" "SCRIPT;TIMEOUT" "LABELS" ${ARGN})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  add_test(NAME ${name} COMMAND bash ${A_SCRIPT})
  set_tests_properties(${name} PROPERTIES
    SKIP_RETURN_CODE 77 TIMEOUT ${A_TIMEOUT} LABELS "${A_LABELS}"
    ENVIRONMENT "PXE_BUILD=${CMAKE_BINARY_DIR};PXE_SRC=${CMAKE_SOURCE_DIR}")
endfunction()

# pxe_add_fuzz(NAME SOURCE f.c LIBS lib CORPUS dir)
# With PXE_FUZZ (clang) a libFuzzer binary NAME; always a replay binary
# NAME-replay that ctest runs over every file in CORPUS, so the corpus is a
# regression test on every build.
function(pxe_add_fuzz name)
  cmake_parse_arguments(A "" "SOURCE;CORPUS" "LIBS" ${ARGN})
  add_executable(${name}-replay ${A_SOURCE} ${CMAKE_SOURCE_DIR}/tests/fuzz/replay.c)
  target_link_libraries(${name}-replay PRIVATE ${A_LIBS})
  add_test(NAME ${name}-replay COMMAND ${name}-replay ${A_CORPUS})
  set_tests_properties(${name}-replay PROPERTIES LABELS fuzz TIMEOUT 300)
  if(PXE_FUZZ)
    add_executable(${name} ${A_SOURCE})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${name} PRIVATE ${A_LIBS})
  endif()
endfunction()
