# API and browser tests: node's test runner against the real binary (tests/lib/server.mjs).
find_program(NODE node)
if(NODE)
  set(kc_node_env
    "KYCUONG_BIN=$<TARGET_FILE:kycuong>"
    "KC_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
    "KC_ARTIFACTS_DIR=${CMAKE_BINARY_DIR}/artifacts")
  if(EXISTS ${PROJECT_SOURCE_DIR}/tests/api)
    add_test(NAME api COMMAND ${NODE} --test --test-concurrency=2 ${PROJECT_SOURCE_DIR}/tests/api/
             WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(api PROPERTIES ENVIRONMENT "${kc_node_env}" LABELS api TIMEOUT 600)
  endif()
  if(EXISTS ${PROJECT_SOURCE_DIR}/tests/browser AND NOT KC_SANITIZE)
    add_test(NAME browser COMMAND ${NODE} --test ${PROJECT_SOURCE_DIR}/tests/browser/
             WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(browser PROPERTIES ENVIRONMENT "${kc_node_env}" LABELS browser TIMEOUT 600)
  endif()
else()
  message(WARNING "node not found: API and browser tests are not registered")
endif()

# Formatting is mechanical (docs/style.md): the C sources must be as clang-format leaves them.
find_program(CLANG_FORMAT clang-format)
if(CLANG_FORMAT AND NOT KC_SANITIZE)
  add_test(NAME format COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/check-format.sh)
endif()
