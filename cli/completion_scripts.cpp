#include "cli/completion_scripts.hpp"

namespace kmesh::cli {
namespace {

// Each script handles the directives __complete prints: 1 error, 2 no space, 4 no file
// names, 16 directories only (8 and 32 are never printed by kubectl-mesh).

// bash: with bash-completion, _init_completion joins `--flag=value` back into one word;
// without it, the script joins the words COMP_WORDBREAKS split at '='.
constexpr const char* kBash = R"script(# bash completion for kubectl-mesh.
# Load it with:  source <(kubectl-mesh completion bash)
# or save it as: ~/.local/share/bash-completion/completions/kubectl-mesh
# (`kubectl mesh <TAB>` needs none of this: kubectl 1.26+ runs kubectl_complete-mesh.)

__kubectl_mesh_words() {
  local i w
  words=()
  for ((i = 0; i <= COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    if ((${#words[@]} > 1)) && [[ $w == "=" || ${words[-1]} == *= ]]; then
      words[-1]+=$w
    else
      words+=("$w")
    fi
  done
  cword=$((${#words[@]} - 1))
  cur=${words[cword]}
}

__kubectl_mesh_complete() {
  local cur words cword
  if declare -F _init_completion >/dev/null 2>&1; then
    _init_completion -n =: || return
  else
    __kubectl_mesh_words
  fi
  local -a lines
  mapfile -t lines < <(kubectl-mesh __completeNoDesc "${words[@]:1:cword-1}" "$cur" 2>/dev/null)
  local n=${#lines[@]}
  ((n > 0)) && [[ ${lines[n - 1]} == :* ]] || return
  local directive=${lines[n - 1]#:}
  unset 'lines[n - 1]'
  ((directive & 1)) && return
  [[ $cur == -*=* ]] && cur=${cur#*=}
  COMPREPLY=()
  if ((directive & 16)); then
    compopt -o filenames
    mapfile -t COMPREPLY < <(compgen -d -- "$cur")
    return
  fi
  local c
  for c in "${lines[@]}"; do
    [[ -n $c && $c == "$cur"* ]] && COMPREPLY+=("$c")
  done
  if declare -F __ltrim_colon_completions >/dev/null 2>&1; then
    __ltrim_colon_completions "$cur"
  fi
  ((directive & 2)) && compopt -o nospace
  ((${#COMPREPLY[@]} == 0 && (directive & 4))) && compopt +o default
  return 0
}

complete -o default -F __kubectl_mesh_complete kubectl-mesh
)script";

constexpr const char* kZsh = R"script(#compdef kubectl-mesh
# zsh completion for kubectl-mesh.
# Load it with:  source <(kubectl-mesh completion zsh)     (after compinit)
# or save it as _kubectl-mesh in a directory of $fpath.
# (`kubectl mesh <TAB>` needs none of this: kubectl 1.26+ runs kubectl_complete-mesh.)

_kubectl-mesh() {
  local cur=${words[CURRENT]} directive line name
  local -a lines candidates
  lines=("${(@f)$(kubectl-mesh __complete "${(@)words[2,CURRENT-1]}" "$cur" 2>/dev/null)}")
  [[ ${lines[-1]} == :* ]] || return 1
  directive=${lines[-1]#:}
  lines[-1]=()
  (( directive & 1 )) && return 1
  [[ $cur == -*=* ]] && compset -P '*='
  if (( directive & 16 )); then
    _files -/
    return
  fi
  for line in "${lines[@]}"; do
    [[ -n $line ]] || continue
    name=${line%%$'\t'*}
    name=${name//:/\\:}
    if [[ $line == *$'\t'* ]]; then
      candidates+=("$name:${line#*$'\t'}")
    else
      candidates+=("$name")
    fi
  done
  local -a nospace
  (( directive & 2 )) && nospace=(-S '')
  if (( ${#candidates} )); then
    _describe -t values 'kubectl-mesh' candidates "${nospace[@]}"
  elif (( ! (directive & 4) )); then
    _files
  else
    return 1
  fi
}

if [[ ${funcstack[1]} == _kubectl-mesh ]]; then
  _kubectl-mesh "$@"
else
  compdef _kubectl-mesh kubectl-mesh
fi
)script";

// fish: the condition prepares the candidates; when it fails, fish completes file names.
constexpr const char* kFish = R"script(# fish completion for kubectl-mesh.
# Load it with:  kubectl-mesh completion fish | source
# or save it as: ~/.config/fish/completions/kubectl-mesh.fish
# (`kubectl mesh <TAB>` needs none of this: kubectl 1.26+ runs kubectl_complete-mesh.)

function __kubectl_mesh_prepare
    set -g __kubectl_mesh_results
    set -l args (commandline -opc)
    set -e args[1]
    set -l cur (commandline -ct)
    set -l lines (kubectl-mesh __complete $args $cur 2>/dev/null)
    or return 1
    set -q lines[1]; or return 1
    set -l directive (string replace -r -- '^:' '' $lines[-1])
    string match -qr -- '^[0-9]+$' $directive; or return 1
    set -e lines[-1]
    test (math "bitand($directive, 1)") -eq 0; or return 0
    if test (math "bitand($directive, 16)") -ne 0
        set -g __kubectl_mesh_results (__fish_complete_directories $cur)
        return 0
    end
    set -l flag (string match -r -- '^-[^=]*=' $cur)
    for line in $lines
        test -n "$line"; and set -a __kubectl_mesh_results "$flag$line"
    end
    set -q __kubectl_mesh_results[1]; and return 0
    test (math "bitand($directive, 4)") -ne 0
end

complete -c kubectl-mesh -e
complete -c kubectl-mesh -n __kubectl_mesh_prepare -f -a '$__kubectl_mesh_results'
)script";

}  // namespace

const std::vector<std::string>& completion_shells() {
  static const std::vector<std::string> shells = {"bash", "zsh", "fish"};
  return shells;
}

std::string completion_script(const std::string& shell) {
  if (shell == "bash") return kBash;
  if (shell == "zsh") return kZsh;
  if (shell == "fish") return kFish;
  return "";
}

}  // namespace kmesh::cli
