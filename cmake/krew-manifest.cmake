# CPack post-build script: once the tarball is made, writes plugins/mesh.yaml in the package
# directory (the krew manifest, with the tarball's sha256) through tools/build-krew.sh.
# CPack runs this before it copies the tarball from its work directory to the package
# directory, so the manifest's uri names the place the tarball is about to be.
get_filename_component(out_dir ${CPACK_PACKAGE_DIRECTORY} ABSOLUTE)
set(url ${CPACK_KMESH_RELEASE_URL})
if(NOT url)
  set(url "file://${out_dir}")
endif()
foreach(file IN LISTS CPACK_PACKAGE_FILES)
  if(file MATCHES "\\.tar\\.gz$")
    execute_process(
      COMMAND ${CPACK_KMESH_SOURCE_DIR}/tools/build-krew.sh ${file} ${out_dir}/plugins/mesh.yaml
              ${url}
      RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "tools/build-krew.sh failed for ${file}")
    endif()
  endif()
endforeach()
