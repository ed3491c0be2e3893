# One-line helpers for the project's libraries and tests.

set(AGTRACE_SOURCE_DIR "${PROJECT_SOURCE_DIR}")
set(AGTRACE_TEST_DATA "${PROJECT_SOURCE_DIR}/tests")

# agtrace_library(NAME SOURCES... [LIBS ...]): a static library whose headers are
# included as "ledger/merkle/merkle.h" (paths from the project root).
function(agtrace_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC "${PROJECT_SOURCE_DIR}")
  target_link_libraries(${name} PUBLIC ${ARG_LIBS})
endfunction()

# agtrace_test(NAME SOURCES... [LIBS ...]): a doctest executable run by ctest.
# Tests find shipped vectors and fixtures under AGTRACE_TEST_DATA (tests/).
function(agtrace_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE agtrace_doctest_main ${ARG_LIBS})
  target_compile_definitions(${name} PRIVATE
    AGTRACE_TEST_DATA="${AGTRACE_TEST_DATA}"
    AGTRACE_SOURCE_DIR="${AGTRACE_SOURCE_DIR}"
    AGTRACE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  if(AGTRACE_SANITIZE)
    # Once this directory has set the test's TIMEOUT, scale it (below).
    cmake_language(EVAL CODE "cmake_language(DEFER CALL agtrace_scale_timeout [[${name}]])")
  endif()
endfunction()

# Under ASan + UBSan (an unoptimised build) every test, and every program it runs, takes
# several times longer: a test's TIMEOUT is multiplied by AGTRACE_SANITIZE_TIMEOUT_FACTOR.
set(AGTRACE_SANITIZE_TIMEOUT_FACTOR 4 CACHE STRING "TIMEOUT multiplier for tests under the sanitizers")
function(agtrace_scale_timeout name)
  get_test_property(${name} TIMEOUT timeout)
  if(timeout)
    math(EXPR timeout "${timeout} * ${AGTRACE_SANITIZE_TIMEOUT_FACTOR}")
    set_tests_properties(${name} PROPERTIES TIMEOUT ${timeout})
  endif()
endfunction()

# AGTRACE_SANITIZE=ON builds everything with AddressSanitizer and UndefinedBehaviorSanitizer
# (tests then run with tests/sanitizers/lsan.supp, which silences only the caches that
# fontconfig, glib and pango keep for the life of the process).
option(AGTRACE_SANITIZE "Build with ASan + UBSan" OFF)
if(AGTRACE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
