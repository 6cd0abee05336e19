#!/usr/bin/env python3
"""Writes tests/analyze/corpus/*.yaml + *.golden and tests/analyze/clean/*.yaml.

The YAML files are the fixtures; this script is how they were written (shared snippets
keep every case consistent: each Service a route names exists, ports are named, and so
on, so that a case draws exactly its one finding offline and on a cluster). Edit a case
here and rerun, or edit the YAML by hand; the tests read only the YAML and golden files.
"""
import os
os.chdir(os.path.dirname(os.path.abspath(__file__)))
for sub in ("corpus", "clean"):
    os.makedirs(sub, exist_ok=True)
    for f in os.listdir(sub):
        os.remove(os.path.join(sub, f))
SVC = lambda name="reviews": f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: corpus
spec:
  selector:
    app: {name}
  ports:
    - name: http-web
      port: 9080
"""
DR = lambda subsets=("v1",), host="reviews", name="reviews", extra="": f"""apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: {name}
  namespace: corpus
spec:
  host: {host}
{extra}  subsets:
""" + "".join(f"""    - name: {s}
      labels:
        version: {s}
""" for s in subsets)
def VS(name, body, hosts=("reviews",), gateways=None, api="networking.istio.io/v1"):
    g = "" if gateways is None else "  gateways:\n" + "".join(f"    - {x}\n" for x in gateways)
    return f"""apiVersion: {api}
kind: VirtualService
metadata:
  name: {name}
  namespace: corpus
spec:
  hosts:
""" + "".join(f"    - {h}\n" for h in hosts) + g + body
ROUTE = lambda host="reviews", subset=None: f"""  http:
    - route:
        - destination:
            host: {host}
""" + (f"            subset: {subset}\n" if subset else "")
NS = lambda labels={}: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: corpus\n" + (
    "  labels:\n" + "".join(f"    {k}: {v}\n" for k, v in labels.items()) if labels else "")
DEPLOY = lambda name="reviews-v1", app="reviews": f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: corpus
spec:
  replicas: 0
  selector:
    matchLabels:
      app: {app}
  template:
    metadata:
      labels:
        app: {app}
        version: v1
    spec:
      containers:
        - name: app
          image: nginx
"""
def POD(name, sidecar=None):
    t = f"""apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: corpus
  labels:
    app: {name}
spec:
"""
    if sidecar == "native":
        t += "  initContainers:\n    - name: istio-proxy\n      image: docker.io/istio/proxyv2:1.31.0\n      restartPolicy: Always\n"
    t += "  containers:\n    - name: app\n      image: nginx\n"
    if sidecar == "container":
        t += "    - name: istio-proxy\n      image: docker.io/istio/proxyv2:1.31.0\n"
    return t
RA = lambda rule: f"""apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: jwt
  namespace: corpus
spec:
  jwtRules:
{rule}"""
def doc(*parts): return "---\n".join(parts)
C = "# mode: cluster\n"
def skip(reason): return f"# cluster: skip {reason}\n"

corpus = {
 "KM0001-duplicate-service": (skip("an object applied twice is one object in the cluster") + doc(SVC(), SVC()), "KM0001 Service corpus/reviews"),
 "KM0001-duplicate-configmap": (skip("an object applied twice is one object in the cluster") + doc(
     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: corpus\ndata:\n  a: \"1\"\n",
     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: corpus\ndata:\n  a: \"2\"\n"), "KM0001 ConfigMap corpus/settings"),
 "KM0002-rbac-v1beta1-role": (skip("the API server does not serve removed versions") +
     "apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: Role\nmetadata:\n  name: reader\n  namespace: corpus\nrules:\n  - apiGroups: [\"\"]\n    resources: [pods]\n    verbs: [get]\n", "KM0002 Role corpus/reader"),
 "KM0002-extensions-v1beta1-ingress": (skip("the API server does not serve removed versions") +
     "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: corpus\nspec:\n  backend:\n    serviceName: reviews\n    servicePort: 9080\n", "KM0002 Ingress corpus/web"),
 "KM0002-networking-v1beta1-ingress": (skip("the API server does not serve removed versions") +
     "apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: corpus\nspec:\n  backend:\n    serviceName: reviews\n    servicePort: 9080\n", "KM0002 Ingress corpus/web"),
 "KM0002-apps-v1beta2-deployment": (skip("the API server does not serve removed versions") +
     DEPLOY().replace("apps/v1", "apps/v1beta2"), "KM0002 Deployment corpus/reviews-v1"),
 "KM0002-policy-v1beta1-pdb": (skip("the API server does not serve removed versions") +
     "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: reviews\n  namespace: corpus\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: reviews\n", "KM0002 PodDisruptionBudget corpus/reviews"),
 "KM0002-batch-v1beta1-cronjob": (skip("the API server does not serve removed versions") +
     "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: nightly\n  namespace: corpus\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - name: job\n              image: busybox\n", "KM0002 CronJob corpus/nightly"),
 "KM0002-autoscaling-v2beta2-hpa": (skip("the API server does not serve removed versions") +
     "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: reviews\n  namespace: corpus\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: reviews-v1\n  minReplicas: 1\n  maxReplicas: 3\n", "KM0002 HorizontalPodAutoscaler corpus/reviews"),
 "KM0003-networking-v1alpha3-virtualservice": (skip("the cluster returns Istio objects at v1") + doc(SVC(), VS("reviews", ROUTE(), api="networking.istio.io/v1alpha3")), "KM0003 VirtualService corpus/reviews"),
 "KM0003-networking-v1beta1-destinationrule": (skip("the cluster returns Istio objects at v1") + doc(SVC(), DR().replace("networking.istio.io/v1", "networking.istio.io/v1beta1")), "KM0003 DestinationRule corpus/reviews"),
 "KM0003-security-v1beta1-peerauthentication": (skip("the cluster returns Istio objects at v1") +
     "apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: corpus\nspec:\n  mtls:\n    mode: PERMISSIVE\n", "KM0003 PeerAuthentication corpus/default"),
 "KM0101-subset-missing": (doc(SVC(), DR(("v1",)), VS("reviews", ROUTE(subset="v2"))), "KM0101 VirtualService corpus/reviews"),
 "KM0101-subset-no-destinationrule": (C + doc(SVC(), VS("reviews", ROUTE(subset="v1"))), "KM0101 VirtualService corpus/reviews"),
 "KM0101-mirror-subset-missing": (doc(SVC(), DR(("v1",)), VS("reviews", ROUTE(subset="v1") + "      mirror:\n        host: reviews\n        subset: v3\n")), "KM0101 VirtualService corpus/reviews"),
 "KM0102-destination-unknown": (C + doc(SVC(), VS("reviews", ROUTE(host="ratings"))), "KM0102 VirtualService corpus/reviews"),
 "KM0102-destination-name-dot-namespace": (C + doc(SVC(), VS("reviews", ROUTE(host="reviews.corpus"))), "KM0102 VirtualService corpus/reviews"),
 "KM0102-tcp-destination-unknown": (C + doc(SVC(), VS("reviews", "  tcp:\n    - route:\n        - destination:\n            host: mysql.corpus.svc.cluster.local\n")), "KM0102 VirtualService corpus/reviews"),
 "KM0103-destinationrule-host-unknown": (C + doc(SVC(), DR(host="ratings", name="ratings")), "KM0103 DestinationRule corpus/ratings"),
 "KM0104-weights-zero": (doc(SVC(), DR(("v1", "v2")), VS("reviews", """  http:
    - route:
        - destination:
            host: reviews
            subset: v1
          weight: 0
        - destination:
            host: reviews
            subset: v2
          weight: 0
""")), "KM0104 VirtualService corpus/reviews"),
 "KM0105-weights-90": (doc(SVC(), DR(("v1", "v2")), VS("reviews", """  http:
    - route:
        - destination:
            host: reviews
            subset: v1
          weight: 50
        - destination:
            host: reviews
            subset: v2
          weight: 40
""")), "KM0105 VirtualService corpus/reviews"),
 "KM0105-single-weight-50": (doc(SVC(), VS("reviews", """  http:
    - route:
        - destination:
            host: reviews
          weight: 50
""")), "KM0105 VirtualService corpus/reviews"),
 "KM0106-two-virtualservices-one-host": (doc(SVC(), VS("reviews-a", ROUTE()), VS("reviews-b", ROUTE())), "KM0106 VirtualService corpus/reviews-b"),
 "KM0106-short-name-and-fqdn": (doc(SVC(), VS("reviews-a", ROUTE()), VS("reviews-b", ROUTE(), hosts=("reviews.corpus.svc.cluster.local",), gateways=("mesh",))), "KM0106 VirtualService corpus/reviews-b"),
 "KM0107-gateway-missing": (C + doc(SVC(), VS("shop", ROUTE(), hosts=("shop.example.com",), gateways=("shop-gateway",))), "KM0107 VirtualService corpus/shop"),
 "KM0107-gateway-other-namespace-missing": (C + doc(SVC(), VS("shop", ROUTE(), hosts=("shop.example.com",), gateways=("istio-system/shop-gateway",))), "KM0107 VirtualService corpus/shop"),
 "KM0108-gateway-selector-unmatched": (C + """apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop-gateway
  namespace: corpus
spec:
  selector:
    istio: shop-ingressgateway
  servers:
    - port:
        number: 8080
        name: http
        protocol: HTTP
      hosts:
        - shop.example.com
""", "KM0108 Gateway corpus/shop-gateway"),
 "KM0109-per-try-timeout-longer": (doc(SVC(), VS("reviews", ROUTE() + "      timeout: 2s\n      retries:\n        attempts: 3\n        perTryTimeout: 5s\n")), "KM0109 VirtualService corpus/reviews"),
 "KM0110-outlier-eject-all": (doc(SVC(), DR(extra="  trafficPolicy:\n    outlierDetection:\n      consecutive5xxErrors: 3\n      interval: 10s\n      baseEjectionTime: 30s\n      maxEjectionPercent: 100\n")), "KM0110 DestinationRule corpus/reviews"),
 "KM0110-subset-outlier-eject-all": (doc(SVC(), DR(("v1",)) + "      trafficPolicy:\n        outlierDetection:\n          maxEjectionPercent: 100\n          minHealthPercent: 0\n"), "KM0110 DestinationRule corpus/reviews"),
 "KM0201-strict-without-sidecar": (doc(NS(), DEPLOY(), "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: corpus\nspec:\n  mtls:\n    mode: STRICT\n"), "KM0201 PeerAuthentication corpus/default"),
 "KM0201-strict-injection-disabled": (doc(NS({"istio-injection": "disabled"}), DEPLOY(), "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: corpus\nspec:\n  mtls:\n    mode: STRICT\n"), "KM0201 PeerAuthentication corpus/default"),
 "KM0202-authorization-namespace-missing": (C + """apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-frontend
  namespace: corpus
spec:
  action: ALLOW
  rules:
    - from:
        - source:
            namespaces: ["no-such-namespace"]
""", "KM0202 AuthorizationPolicy corpus/allow-frontend"),
 "KM0203-issuer-empty": (skip("Istio's CRD schema rejects an empty issuer (minLength 1)") + RA("""    - issuer: ""
      jwksUri: https://auth.example.com/.well-known/jwks.json
"""), "KM0203 RequestAuthentication corpus/jwt"),
 "KM0203-issuer-missing": (RA("""    - fromHeaders:
        - name: x-token
      jwksUri: https://auth.example.com/.well-known/jwks.json
"""), "KM0203 RequestAuthentication corpus/jwt"),
 "KM0204-jwks-not-json": (RA("""    - issuer: auth.example.com
      jwks: |
        {"keys": [ {"kty": "RSA", "e": "AQAB", "n": "abc" ]
"""), "KM0204 RequestAuthentication corpus/jwt"),
 "KM0205-jwks-no-keys": (RA("""    - issuer: auth.example.com
      jwks: '{"keys": []}'
"""), "KM0205 RequestAuthentication corpus/jwt"),
 "KM0206-jwks-key-without-kty": (RA("""    - issuer: auth.example.com
      jwks: '{"keys": [{"kid": "k1", "e": "AQAB", "n": "abc"}]}'
"""), "KM0206 RequestAuthentication corpus/jwt"),
 "KM0301-enabled-pod-without-sidecar": (doc(NS({"istio-injection": "enabled"}), POD("legacy")), "KM0301 Pod corpus/legacy"),
 "KM0301-revision-pod-without-sidecar": (doc(NS({"istio.io/rev": "canary"}), POD("legacy")), "KM0301 Pod corpus/legacy"),
 "KM0302-disabled-pod-with-sidecar": (doc(NS({"istio-injection": "disabled"}), POD("meshed", "container")), "KM0302 Pod corpus/meshed"),
 "KM0302-unlabelled-native-sidecar": (doc(NS(), POD("meshed", "native")), "KM0302 Pod corpus/meshed"),
 "KM0303-both-injection-labels": (NS({"istio-injection": "enabled", "istio.io/rev": "canary"}), "KM0303 Namespace corpus"),
 "KM0304-port-unnamed": ("apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: corpus\nspec:\n  selector:\n    app: reviews\n  ports:\n    - port: 9080\n", "KM0304 Service corpus/reviews"),
 "KM0304-port-without-prefix": (SVC().replace("http-web", "web"), "KM0304 Service corpus/reviews"),
 "KM0304-port-prefix-without-dash": (SVC().replace("http-web", "httpweb"), "KM0304 Service corpus/reviews"),
}
HEAD = "# {desc}\n"
for name, (text, golden) in corpus.items():
    open(f"corpus/{name}.yaml", "w").write(f"# Expected: {golden.split()[0]} ({name.split('-',1)[1].replace('-', ' ')}).\n" + text)
    open(f"corpus/{name}.golden", "w").write(golden + "\n")
print(len(corpus))

PA = lambda mode, selector=None, name="default": f"""apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: {name}
  namespace: corpus
spec:
""" + (f"  selector:\n    matchLabels:\n      app: {selector}\n" if selector else "") + f"  mtls:\n    mode: {mode}\n"
GW = """apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop-gateway
  namespace: corpus
spec:
  selector:
    istio: ingressgateway
  servers:
    - port:
        number: 8080
        name: http
        protocol: HTTP
      hosts:
        - shop.example.com
"""
clean = {
 "weights-sum-100": doc(SVC(), DR(("v1", "v2")), VS("reviews", """  http:
    - route:
        - destination:
            host: reviews
            subset: v1
          weight: 90
        - destination:
            host: reviews
            subset: v2
          weight: 10
""")),
 "fqdn-hosts": C + doc(SVC(), DR(host="reviews.corpus.svc.cluster.local"), VS("reviews", ROUTE(host="reviews.corpus.svc.cluster.local", subset="v1"))),
 "wildcard-destinationrule": C + doc(SVC(), DR(host="\"*.corpus.svc.cluster.local\"", name="all"), VS("reviews", ROUTE(subset="v1"))),
 "serviceentry-hosts": C + doc("""apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: payments-api
  namespace: corpus
spec:
  hosts:
    - api.payments.example.com
    - "*.cdn.example.com"
  ports:
    - number: 443
      name: https
      protocol: TLS
  resolution: DNS
  location: MESH_EXTERNAL
""", """apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: payments-api
  namespace: corpus
spec:
  host: api.payments.example.com
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 10
""", VS("payments", """  tls:
    - match:
        - sniHosts: [api.payments.example.com]
          port: 443
      route:
        - destination:
            host: api.payments.example.com
    - match:
        - sniHosts: [images.cdn.example.com]
          port: 443
      route:
        - destination:
            host: images.cdn.example.com
""", hosts=("api.payments.example.com", "images.cdn.example.com"))),
 "gateway-bound-routes": C + doc(SVC(), GW, VS("shop", ROUTE(), hosts=("shop.example.com",), gateways=("shop-gateway",)), VS("reviews", ROUTE())),
 "gateway-and-mesh-same-external-host": C + doc(SVC(), GW, VS("shop-a", ROUTE(), hosts=("shop.example.com",), gateways=("shop-gateway",)),
     VS("shop-b", ROUTE(), hosts=("shop.example.com",), gateways=("shop-gateway",))),
 "strict-with-sidecars": doc(NS({"istio-injection": "enabled"}), DEPLOY(), PA("STRICT")),
 "strict-with-permissive-exception": doc(NS(), DEPLOY("legacy", "legacy"), PA("STRICT"), PA("PERMISSIVE", selector="legacy", name="legacy")),
 "request-authentication-ok": RA("""    - issuer: auth.example.com
      jwksUri: https://auth.example.com/.well-known/jwks.json
    - issuer: other.example.com
      jwks: '{"keys": [{"kty": "EC", "crv": "P-256", "x": "abc", "y": "def", "kid": "k"}]}'
"""),
 "ports-named-or-app-protocol": """apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: corpus
spec:
  selector:
    app: reviews
  ports:
    - name: web
      port: 9080
      appProtocol: http
    - name: grpc-api
      port: 9090
    - name: tcp
      port: 5432
    - name: http2
      port: 8080
    - name: https-admin
      port: 8443
""",
 "pods-match-injection": doc(NS({"istio-injection": "enabled"}), POD("meshed", "container"), POD("opted-out").replace("    app: opted-out\n", "    app: opted-out\n    sidecar.istio.io/inject: \"false\"\n")),
 "retries-within-timeout": doc(SVC(), VS("reviews", ROUTE() + "      timeout: 10s\n      retries:\n        attempts: 3\n        perTryTimeout: 2s\n        retryOn: 5xx\n")),
 "outlier-keeps-healthy-hosts": doc(SVC(), DR(extra="  trafficPolicy:\n    outlierDetection:\n      maxEjectionPercent: 100\n      minHealthPercent: 50\n")),
 "authorization-known-namespaces": doc(NS(), """apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-own
  namespace: corpus
spec:
  action: ALLOW
  rules:
    - from:
        - source:
            namespaces: ["corpus", "*-system"]
"""),
 "mirror-to-defined-subset": doc(SVC(), DR(("v1", "v2")), VS("reviews", ROUTE(subset="v1") + "      mirror:\n        host: reviews\n        subset: v2\n      mirrorPercentage:\n        value: 10\n")),
 "mesh-and-gateway-virtualservices": C + doc(SVC(), GW, VS("reviews", ROUTE()), VS("reviews-edge", ROUTE(), hosts=("reviews",), gateways=("shop-gateway",))),
}
for name, text in clean.items():
    open(f"clean/{name}.yaml", "w").write("# Expected: no finding.\n" + text)
print(len(clean))
