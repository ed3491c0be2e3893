# Writes OUT, a C++ source holding every file under SCHEMA_DIR as a string, so that the
# binaries validate against exactly the files in schemas/ (one source of truth) without
# needing the source tree at run time. Run by CMake as a build step.
file(GLOB_RECURSE files RELATIVE "${SCHEMA_DIR}" "${SCHEMA_DIR}/*.json")
list(SORT files)
set(body "// Generated from schemas/ by ledger/event/embed_schemas.cmake. Do not edit.\n")
string(APPEND body "#include \"ledger/event/embedded_schemas.h\"\n\nnamespace agtrace {\n\n")
string(APPEND body "const std::vector<EmbeddedSchema>& embedded_schemas() {\n  static const std::vector<EmbeddedSchema> files = {\n")
foreach(f IN LISTS files)
  file(READ "${SCHEMA_DIR}/${f}" content)
  string(APPEND body "    {\"${f}\", R\"agtrace_schema(${content})agtrace_schema\"},\n")
endforeach()
string(APPEND body "  };\n  return files;\n}\n\n}  // namespace agtrace\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
