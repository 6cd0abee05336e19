# Sourced by demo/tour.sh: the mesh itself, the bookstore on it, its traffic policies,
# injection and analysis.
step kubectl mesh install --profile default -y
step kubectl mesh install --profile default -y
step kubectl mesh verify-install
step kubectl mesh version
step kubectl mesh bookstore apply --profile mesh
step kubectl mesh bookstore status
step kubectl mesh retry set payment -n bookstore-servicemesh --attempts 3 --per-try-timeout 2s --retry-on 5xx
step kubectl mesh timeout set payment -n bookstore-servicemesh 10s
step kubectl mesh breaker set warehouse -n bookstore-servicemesh --max-connections 100 --consecutive-5xx 5 --interval 10s
step kubectl mesh policy show -n bookstore-servicemesh
step kubectl mesh status -n bookstore-servicemesh
step kubectl mesh inject status bookstore-servicemesh
step kubectl mesh bookstore apply --profile dev --restart
step kubectl mesh inject enable bookstore-servicemesh --restart
step kubectl mesh analyze --use-cluster -n bookstore-servicemesh || true
step kubectl mesh graph -n bookstore-servicemesh -o mermaid
step kubectl mesh tag set prod --revision default
step kubectl mesh tag list
step kubectl mesh uninstall --dry-run
