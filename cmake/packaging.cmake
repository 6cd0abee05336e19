# Installing and packaging: the binary, the completion helper kubectl runs, the completion
# scripts, the README; a .deb and a tarball for linux/amd64, and a krew manifest for the
# tarball (`cpack` in the build directory, or `make package`).

# After every link of the binary: in the build tree the helper is a link (the binary answers
# as kubectl_complete-mesh), and the completion scripts are written for installing.
set(KMESH_COMPLETIONS_DIR ${CMAKE_BINARY_DIR}/completions)
add_custom_command(TARGET kubectl-mesh POST_BUILD
  COMMAND ${CMAKE_COMMAND} -E create_symlink kubectl-mesh
          $<TARGET_FILE_DIR:kubectl-mesh>/kubectl_complete-mesh
  COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:kubectl-mesh> -DOUT=${KMESH_COMPLETIONS_DIR}
          -P ${CMAKE_SOURCE_DIR}/cmake/completions.cmake)

include(GNUInstallDirs)
install(TARGETS kubectl-mesh RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Installed as a script, not a link: krew unpacks regular files only.
install(PROGRAMS ${CMAKE_SOURCE_DIR}/packaging/kubectl_complete-mesh
        DESTINATION ${CMAKE_INSTALL_BINDIR})
# Where bash-completion, zsh (Debian's fpath) and fish look for vendor completions.
install(FILES ${KMESH_COMPLETIONS_DIR}/bash/kubectl-mesh
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${KMESH_COMPLETIONS_DIR}/zsh/_kubectl-mesh
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${KMESH_COMPLETIONS_DIR}/fish/kubectl-mesh.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/kubectl-mesh)

set(KMESH_RELEASE_URL "" CACHE STRING
    "Where release tarballs are published (a directory URL), for the krew manifest's uri")
set(KMESH_PACKAGE_MAINTAINER "kubectl-mesh developers <kubectl-mesh@invalid>" CACHE STRING
    "The Maintainer field of the .deb")

set(CPACK_PACKAGE_NAME kubectl-mesh)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR kubectl-mesh)
set(CPACK_PACKAGE_CONTACT ${KMESH_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "kubectl plugin: install Istio, run Fenix's Bookstore on it, edit its traffic policies")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "kubectl mesh installs the Istio service mesh from manifests compiled into the plugin, "
  "applies the Bookstore demo with or without Envoy sidecars, flips sidecar injection per "
  "namespace, edits routing, retry and circuit-breaker policies, and analyzes the mesh.")
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_SYSTEM_NAME linux-amd64)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_STRIP_FILES ON)
# The tarball holds bin/ and share/ at its top: krew's `files` and `tar -C ~/.local` both
# want that.
set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY OFF)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# Depends on the libraries the binary links (libcurl, libyaml-cpp, libssl, ...), from
# dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_KMESH_SOURCE_DIR ${CMAKE_SOURCE_DIR})
set(CPACK_KMESH_RELEASE_URL ${KMESH_RELEASE_URL})
set(CPACK_POST_BUILD_SCRIPTS ${CMAKE_SOURCE_DIR}/cmake/krew-manifest.cmake)
include(CPack)
