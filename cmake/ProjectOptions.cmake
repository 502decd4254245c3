# Shared compile settings for every ExamGuard target.
include_guard(GLOBAL)

option(EXAMGUARD_WERROR "Treat compiler warnings as errors" OFF)
option(EXAMGUARD_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

# -Wnull-dereference is left out: with GCC 12 at -O2 it fires inside libstdc++'s
# istreambuf_iterator, on code that cannot dereference null.
add_library(examguard_options INTERFACE)
target_compile_features(examguard_options INTERFACE cxx_std_20)
target_compile_options(examguard_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Wunused -Wno-missing-field-initializers -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
if(EXAMGUARD_WERROR)
    target_compile_options(examguard_options INTERFACE -Werror)
endif()
if(EXAMGUARD_SANITIZE)
    target_compile_options(examguard_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                       -fno-sanitize-recover=undefined)
    target_link_options(examguard_options INTERFACE -fsanitize=address,undefined)
endif()

# Turn a text file into a C++ source that defines `std::string_view NAME`, so
# migrations, schemas and the demo period ship inside the binary.
function(examguard_embed_files target namespace)
    string(MAKE_C_IDENTIFIER "${namespace}" ns_id)
    set(out_cpp "${CMAKE_CURRENT_BINARY_DIR}/${target}_${ns_id}.cpp")
    set(args "")
    foreach(pair IN LISTS ARGN)
        list(APPEND args "${pair}")
    endforeach()
    set(deps "")
    foreach(pair IN LISTS ARGN)
        string(REPLACE "=" ";" kv "${pair}")
        list(GET kv 1 path)
        list(APPEND deps "${path}")
    endforeach()
    add_custom_command(
        OUTPUT "${out_cpp}"
        COMMAND ${CMAKE_COMMAND} -DOUT=${out_cpp} -DNAMESPACE=${namespace} "-DPAIRS=${args}"
                -P "${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake"
        DEPENDS ${deps} "${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake"
        COMMENT "Embedding files for ${target}"
        VERBATIM)
    target_sources(${target} PRIVATE "${out_cpp}")
endfunction()
