# Writes the completion scripts `kubectl-mesh completion SHELL` prints, for installing:
#   cmake -DBIN=path/to/kubectl-mesh -DOUT=dir -P completions.cmake
# A sanitizer build runs here too: a leak report at exit must not fail the build.
set(ENV{ASAN_OPTIONS} detect_leaks=0)
foreach(shell_file IN ITEMS "bash;kubectl-mesh" "zsh;_kubectl-mesh" "fish;kubectl-mesh.fish")
  list(GET shell_file 0 shell)
  list(GET shell_file 1 name)
  file(MAKE_DIRECTORY ${OUT}/${shell})
  execute_process(COMMAND ${BIN} completion ${shell} OUTPUT_FILE ${OUT}/${shell}/${name}
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${BIN} completion ${shell} failed: ${status}")
  endif()
endforeach()
