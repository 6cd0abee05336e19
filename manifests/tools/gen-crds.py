#!/usr/bin/env python3
"""Generates manifests/crds/*.yaml: the 15 Istio CustomResourceDefinitions kubectl-mesh installs.

Usage: python3 manifests/tools/gen-crds.py [OUTPUT_DIR]   (needs PyYAML; default: ../crds)

Schemas are assembled from small building blocks written for this project. Field names, types,
enums, served versions and storage versions follow Istio's published API for the pinned release
(see manifests/NOTES-helper.md for where each fact was checked). VirtualService, DestinationRule,
Gateway and the three security kinds get structural schemas; the other kinds keep spec free-form.
"""
import copy
import os
import sys

import yaml

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crds")

DURATION_RULE = {"rule": "duration(self) >= duration('1ms')",
                 "message": "must be a valid duration of at least 1ms"}
U32_MAX = 4294967295


# ---------------------------------------------------------------- scalar helpers
def string(**extra):
    s = {"type": "string"}
    s.update(extra)
    return s


def strings(item=None, **extra):
    s = {"type": "array", "items": item or string()}
    s.update(extra)
    return s


def duration():
    return {"type": "string", "x-kubernetes-validations": [dict(DURATION_RULE)]}


def int32(**extra):
    s = {"type": "integer", "format": "int32"}
    s.update(extra)
    return s


def uint32(nullable=False):
    s = {"type": "integer", "minimum": 0, "maximum": U32_MAX}
    if nullable:
        s["nullable"] = True
    return s


def boolean(nullable=False):
    s = {"type": "boolean"}
    if nullable:
        s["nullable"] = True
    return s


def double(**extra):
    s = {"type": "number", "format": "double"}
    s.update(extra)
    return s


def enum(*values):
    return {"type": "string", "enum": list(values)}


def obj(props, required=None, rules=None, one_of=None, **extra):
    s = {"type": "object", "properties": props}
    if required:
        s["required"] = list(required)
    if one_of:
        s["oneOf"] = at_most_one(*one_of)
    if rules:
        s["x-kubernetes-validations"] = rules
    s.update(extra)
    return s


def string_map(**extra):
    s = {"type": "object", "additionalProperties": string()}
    s.update(extra)
    return s


def array(item, **extra):
    s = {"type": "array", "items": item}
    s.update(extra)
    return s


def at_most_one(*fields):
    """oneOf that lets zero or exactly one of the fields be present (Istio's oneof semantics)."""
    branches = [{"not": {"anyOf": [{"required": [f]} for f in fields]}}]
    branches += [{"required": [f]} for f in fields]
    return branches


def only_one_rule(fields, message):
    expr = " + ".join("(has(self.%s) ? 1 : 0)" % f for f in fields) + " <= 1"
    return {"rule": expr, "message": message}


# ---------------------------------------------------------------- shared pieces
def label_selector():
    """WorkloadSelector for security/telemetry style `selector: {matchLabels: ...}`."""
    return obj({
        "matchLabels": {
            "type": "object",
            "maxProperties": 4096,
            "additionalProperties": {
                "type": "string",
                "maxLength": 63,
                "x-kubernetes-validations": [
                    {"rule": '!self.contains("*")', "message": "label values may not contain a wildcard"},
                ],
            },
            "x-kubernetes-validations": [
                {"rule": 'self.all(key, !key.contains("*"))', "message": "label keys may not contain a wildcard"},
                {"rule": "self.all(key, key.size() != 0)", "message": "label keys may not be empty"},
            ],
        },
    })


def policy_target():
    return obj({
        "group": string(maxLength=253,
                        pattern=r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"),
        "kind": string(minLength=1, maxLength=63, pattern=r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$"),
        "name": string(minLength=1, maxLength=253),
        "namespace": string(**{"x-kubernetes-validations": [
            {"rule": "self.size() == 0", "message": "cross-namespace references are not supported"}]}),
    }, required=["kind", "name"])


def targeting(props):
    """Adds selector / targetRef / targetRefs (mutually exclusive) to a policy spec."""
    props["selector"] = label_selector()
    props["targetRef"] = policy_target()
    props["targetRefs"] = array(policy_target(), maxItems=16)
    return only_one_rule(["selector", "targetRef", "targetRefs"],
                         "set at most one of selector, targetRef and targetRefs")


def string_match():
    return obj({"exact": string(), "prefix": string(), "regex": string()},
               one_of=["exact", "prefix", "regex"])


def port_selector():
    return obj({"number": uint32()})


def destination():
    return obj({"host": string(), "subset": string(), "port": port_selector()}, required=["host"])


def percent():
    return obj({"value": double()})


def header_ops():
    ops = obj({"add": string_map(), "set": string_map(), "remove": strings()})
    return obj({"request": ops, "response": copy.deepcopy(ops)})


# ---------------------------------------------------------------- DestinationRule
def connection_pool():
    tcp = obj({
        "maxConnections": int32(),
        "connectTimeout": duration(),
        "tcpKeepalive": obj({"probes": uint32(), "time": duration(), "interval": duration()}),
        "maxConnectionDuration": duration(),
        "idleTimeout": string(),
    })
    http = obj({
        "http1MaxPendingRequests": int32(),
        "http2MaxRequests": int32(),
        "maxRequestsPerConnection": int32(),
        "maxRetries": int32(),
        "idleTimeout": duration(),
        "h2UpgradePolicy": enum("DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"),
        "useClientProtocol": boolean(),
        "maxConcurrentStreams": int32(),
    })
    return obj({"tcp": tcp, "http": http})


def load_balancer():
    consistent = obj({
        "httpHeaderName": string(),
        "httpCookie": obj({"name": string(), "path": string(), "ttl": string()}, required=["name"]),
        "useSourceIp": boolean(),
        "httpQueryParameterName": string(),
        "ringHash": obj({"minimumRingSize": {"type": "integer", "minimum": 0}}),
        "maglev": obj({"tableSize": {"type": "integer", "minimum": 0}}),
        "minimumRingSize": {"type": "integer", "minimum": 0},
    })
    consistent["allOf"] = [
        {"oneOf": at_most_one("httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName")},
        {"oneOf": at_most_one("ringHash", "maglev")},
    ]
    locality = obj({
        "enabled": boolean(nullable=True),
        "distribute": array(obj({
            "from": string(),
            "to": {"type": "object", "additionalProperties": uint32()},
        })),
        "failover": array(obj({"from": string(), "to": string()})),
        "failoverPriority": strings(),
    })
    return obj({
        "simple": enum("UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST"),
        "consistentHash": consistent,
        "localityLbSetting": locality,
        "warmupDurationSecs": duration(),
        "warmup": obj({
            "duration": duration(),
            "minimumPercent": double(minimum=0, maximum=100, nullable=True),
            "aggression": double(minimum=1, nullable=True),
        }, required=["duration"]),
    }, one_of=["simple", "consistentHash"])


def outlier_detection():
    return obj({
        "splitExternalLocalOriginErrors": boolean(),
        "consecutiveLocalOriginFailures": uint32(nullable=True),
        "consecutiveGatewayErrors": uint32(nullable=True),
        "consecutive5xxErrors": uint32(nullable=True),
        "consecutiveErrors": int32(),
        "interval": duration(),
        "baseEjectionTime": duration(),
        "maxEjectionPercent": int32(),
        "minHealthPercent": int32(),
    })


def client_tls():
    return obj({
        "mode": enum("DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"),
        "clientCertificate": string(),
        "privateKey": string(),
        "caCertificates": string(),
        "credentialName": string(),
        "subjectAltNames": strings(),
        "sni": string(),
        "insecureSkipVerify": boolean(nullable=True),
        "caCrl": string(),
    })


def traffic_policy(port_level):
    props = {
        "loadBalancer": load_balancer(),
        "connectionPool": connection_pool(),
        "outlierDetection": outlier_detection(),
        "tls": client_tls(),
    }
    if port_level:
        props["port"] = port_selector()
        return obj(props)
    props["portLevelSettings"] = array(traffic_policy(port_level=True), maxItems=4096)
    props["tunnel"] = obj({"protocol": string(), "targetHost": string(), "targetPort": uint32()},
                          required=["targetHost", "targetPort"])
    props["proxyProtocol"] = obj({"version": enum("V1", "V2")})
    props["retryBudget"] = obj({"percent": double(minimum=0, maximum=100, nullable=True),
                                "minRetryConcurrency": uint32()})
    return obj(props)


def destination_rule_spec():
    return obj({
        "host": string(),
        "trafficPolicy": traffic_policy(port_level=False),
        "subsets": array(obj({
            "name": string(),
            "labels": string_map(),
            "trafficPolicy": traffic_policy(port_level=False),
        }, required=["name"])),
        "exportTo": strings(),
        "workloadSelector": label_selector(),
    }, required=["host"])


# ---------------------------------------------------------------- VirtualService
def http_match():
    return obj({
        "name": string(),
        "uri": string_match(),
        "scheme": string_match(),
        "method": string_match(),
        "authority": string_match(),
        "headers": {"type": "object", "additionalProperties": string_match()},
        "port": uint32(),
        "sourceLabels": string_map(),
        "gateways": strings(),
        "queryParams": {"type": "object", "additionalProperties": string_match()},
        "ignoreUriCase": boolean(),
        "withoutHeaders": {"type": "object", "additionalProperties": string_match()},
        "sourceNamespace": string(),
        "statPrefix": string(),
    })


def http_route():
    return obj({
        "name": string(),
        "match": array(http_match()),
        "route": array(obj({"destination": destination(), "weight": int32(), "headers": header_ops()},
                           required=["destination"])),
        "redirect": obj({
            "uri": string(),
            "authority": string(),
            "port": uint32(),
            "derivePort": enum("FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT"),
            "scheme": string(),
            "redirectCode": uint32(),
        }, one_of=["port", "derivePort"]),
        "directResponse": obj({
            "status": uint32(),
            "body": obj({"string": string(), "bytes": string()}, one_of=["string", "bytes"]),
        }, required=["status"]),
        "delegate": obj({"name": string(), "namespace": string()}),
        "rewrite": obj({
            "uri": string(),
            "authority": string(),
            "uriRegexRewrite": obj({"match": string(), "rewrite": string()}),
        }),
        "timeout": duration(),
        "retries": obj({
            "attempts": int32(),
            "perTryTimeout": duration(),
            "retryOn": string(),
            "retryRemoteLocalities": boolean(nullable=True),
            "retryIgnorePreviousHosts": boolean(nullable=True),
            "backoff": duration(),
        }),
        "fault": obj({
            "delay": obj({
                "fixedDelay": duration(),
                "exponentialDelay": duration(),
                "percentage": percent(),
                "percent": int32(),
            }, one_of=["fixedDelay", "exponentialDelay"]),
            "abort": obj({
                "httpStatus": int32(),
                "grpcStatus": string(),
                "http2Error": string(),
                "percentage": percent(),
            }, one_of=["httpStatus", "grpcStatus", "http2Error"]),
        }),
        "mirror": destination(),
        "mirrors": array(obj({"destination": destination(), "percentage": percent()},
                             required=["destination"])),
        "mirrorPercent": uint32(nullable=True),
        "mirror_percent": uint32(nullable=True),
        "mirrorPercentage": percent(),
        "corsPolicy": obj({
            "allowOrigin": strings(),
            "allowOrigins": array(string_match()),
            "allowMethods": strings(),
            "allowHeaders": strings(),
            "exposeHeaders": strings(),
            "maxAge": duration(),
            "allowCredentials": boolean(nullable=True),
            "unmatchedPreflights": enum("UNSPECIFIED", "FORWARD", "IGNORE"),
        }),
        "headers": header_ops(),
    })


def l4_route():
    return array(obj({"destination": destination(), "weight": int32()}, required=["destination"]))


def virtual_service_spec():
    return obj({
        "hosts": strings(),
        "gateways": strings(),
        "http": array(http_route()),
        "tls": array(obj({
            "match": array(obj({
                "sniHosts": strings(),
                "destinationSubnets": strings(),
                "port": uint32(),
                "sourceLabels": string_map(),
                "gateways": strings(),
                "sourceNamespace": string(),
            }, required=["sniHosts"])),
            "route": l4_route(),
        }, required=["match"])),
        "tcp": array(obj({
            "match": array(obj({
                "destinationSubnets": strings(),
                "port": uint32(),
                "sourceSubnet": string(),
                "sourceLabels": string_map(),
                "gateways": strings(),
                "sourceNamespace": string(),
            })),
            "route": l4_route(),
        })),
        "exportTo": strings(),
    })


# ---------------------------------------------------------------- Gateway
def gateway_spec():
    tls_versions = ("TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3")
    tls = obj({
        "httpsRedirect": boolean(),
        "mode": enum("PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"),
        "serverCertificate": string(),
        "privateKey": string(),
        "caCertificates": string(),
        "caCrl": string(),
        "credentialName": string(),
        "credentialNames": strings(minItems=1, maxItems=2),
        "tlsCertificates": array(obj({"serverCertificate": string(), "privateKey": string(),
                                      "caCertificates": string()}), minItems=1, maxItems=2),
        "subjectAltNames": strings(),
        "verifyCertificateSpki": strings(),
        "verifyCertificateHash": strings(),
        "minProtocolVersion": enum(*tls_versions),
        "maxProtocolVersion": enum(*tls_versions),
        "cipherSuites": strings(),
    }, rules=[
        only_one_rule(["credentialName", "credentialNames"], "set at most one of credentialName and credentialNames"),
        only_one_rule(["credentialNames", "tlsCertificates"], "set at most one of credentialNames and tlsCertificates"),
    ])
    server = obj({
        "port": obj({"number": uint32(), "protocol": string(), "name": string(), "targetPort": uint32()},
                    required=["number", "protocol", "name"]),
        "bind": string(),
        "hosts": strings(),
        "tls": tls,
        "defaultEndpoint": string(),
        "name": string(),
    }, required=["port", "hosts"])
    return obj({"servers": array(server), "selector": string_map()})


# ---------------------------------------------------------------- security
MTLS_MODE = ("UNSET", "DISABLE", "PERMISSIVE", "STRICT")


def peer_authentication_spec():
    return obj({
        "selector": label_selector(),
        "mtls": obj({"mode": enum(*MTLS_MODE)}),
        "portLevelMtls": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": obj({"mode": enum(*MTLS_MODE)}),
            "x-kubernetes-validations": [
                {"rule": "self.all(key, 0 < int(key) && int(key) <= 65535)",
                 "message": "port keys must be numbers between 1 and 65535"},
            ],
        },
    }, rules=[{
        "rule": "has(self.portLevelMtls) ? (((has(self.selector) && has(self.selector.matchLabels))"
                " ? self.selector.matchLabels : {}).size() > 0) : true",
        "message": "portLevelMtls needs a selector with matchLabels",
    }])


def jwks_uri():
    return string(minLength=1, maxLength=2048, **{"x-kubernetes-validations": [
        {"rule": 'url(self).getScheme() in ["http", "https"]', "message": "the URL scheme must be http or https"}]})


def request_authentication_spec():
    rule = obj({
        "issuer": string(minLength=1),
        "audiences": strings(string(minLength=1)),
        "jwksUri": jwks_uri(),
        "jwks_uri": jwks_uri(),
        "jwks": string(),
        "fromHeaders": array(obj({"name": string(minLength=1), "prefix": string()}, required=["name"])),
        "fromParams": strings(string(minLength=1)),
        "fromCookies": strings(string(minLength=1)),
        "outputPayloadToHeader": string(),
        "forwardOriginalToken": boolean(),
        "outputClaimToHeaders": array(obj({
            "header": string(minLength=1, pattern="^[-_A-Za-z0-9]+$"),
            "claim": string(minLength=1),
        }, required=["header", "claim"])),
        "timeout": duration(),
    }, rules=[only_one_rule(["jwksUri", "jwks_uri", "jwks"], "set at most one of jwks and jwksUri")])
    props = {"jwtRules": array(rule, maxItems=4096)}
    target_rule = targeting(props)
    return obj(props, rules=[target_rule])


def authorization_policy_spec():
    service_accounts = strings(string(maxLength=320), maxItems=16)
    source = obj({
        "principals": strings(),
        "notPrincipals": strings(),
        "requestPrincipals": strings(),
        "notRequestPrincipals": strings(),
        "namespaces": strings(),
        "notNamespaces": strings(),
        "serviceAccounts": service_accounts,
        "notServiceAccounts": copy.deepcopy(service_accounts),
        "ipBlocks": strings(),
        "notIpBlocks": strings(),
        "remoteIpBlocks": strings(),
        "notRemoteIpBlocks": strings(),
    }, rules=[{
        "rule": "(has(self.serviceAccounts) || has(self.notServiceAccounts)) ? (!has(self.principals) && "
                "!has(self.notPrincipals) && !has(self.namespaces) && !has(self.notNamespaces)) : true",
        "message": "serviceAccounts cannot be combined with principals or namespaces",
    }])
    operation = obj({k: strings() for k in (
        "hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths")})
    rule = obj({
        "from": array(obj({"source": source}), maxItems=512),
        "to": array(obj({"operation": operation})),
        "when": array(obj({"key": string(), "values": strings(), "notValues": strings()}, required=["key"])),
    })
    props = {
        "rules": array(rule, maxItems=512),
        "action": enum("ALLOW", "DENY", "AUDIT", "CUSTOM"),
        "provider": obj({"name": string()}),
    }
    target_rule = targeting(props)
    return obj(props, rules=[target_rule])


# ---------------------------------------------------------------- CRD assembly
FREE_FORM = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}

AGE = {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp",
       "description": "Time since the object was created."}


def column(name, path, description):
    return {"name": name, "type": "string", "jsonPath": path, "description": description}


KINDS = [
    # group, kind, plural, short names, versions (storage first), printer columns, spec schema, spec required
    dict(group="networking.istio.io", kind="VirtualService", plural="virtualservices", short=["vs"],
         versions=["v1", "v1alpha3", "v1beta1"], storage="v1",
         columns=[column("Gateways", ".spec.gateways", "Gateways and sidecars that apply these routes."),
                  column("Hosts", ".spec.hosts", "Destination hosts the routes apply to."), AGE],
         spec=virtual_service_spec),
    dict(group="networking.istio.io", kind="DestinationRule", plural="destinationrules", short=["dr"],
         versions=["v1", "v1alpha3", "v1beta1"], storage="v1",
         columns=[column("Host", ".spec.host", "Service the rule applies to."), AGE],
         spec=destination_rule_spec),
    dict(group="networking.istio.io", kind="Gateway", plural="gateways", short=["gw"],
         versions=["v1", "v1alpha3", "v1beta1"], storage="v1", columns=[], spec=gateway_spec),
    dict(group="networking.istio.io", kind="ServiceEntry", plural="serviceentries", short=["se"],
         versions=["v1", "v1alpha3", "v1beta1"], storage="v1",
         columns=[column("Hosts", ".spec.hosts", "Hosts of the service entry."),
                  column("Location", ".spec.location", "MESH_EXTERNAL or MESH_INTERNAL."),
                  column("Resolution", ".spec.resolution", "How the hosts are resolved."), AGE],
         spec=None, spec_required=True),
    dict(group="networking.istio.io", kind="Sidecar", plural="sidecars", short=[],
         versions=["v1", "v1alpha3", "v1beta1"], storage="v1", columns=[], spec=None),
    dict(group="networking.istio.io", kind="WorkloadEntry", plural="workloadentries", short=["we"],
         versions=["v1", "v1alpha3", "v1beta1"], storage="v1",
         columns=[AGE, column("Address", ".spec.address", "Address of the workload.")],
         spec=None, spec_required=True),
    dict(group="networking.istio.io", kind="WorkloadGroup", plural="workloadgroups", short=["wg"],
         versions=["v1", "v1alpha3", "v1beta1"], storage="v1", columns=[AGE],
         spec=None, spec_required=True),
    dict(group="networking.istio.io", kind="EnvoyFilter", plural="envoyfilters", short=[],
         versions=["v1alpha3"], storage="v1alpha3", columns=[], spec=None),
    dict(group="networking.istio.io", kind="ProxyConfig", plural="proxyconfigs", short=[],
         versions=["v1beta1"], storage="v1beta1", columns=[], spec=None),
    dict(group="security.istio.io", kind="PeerAuthentication", plural="peerauthentications", short=["pa"],
         versions=["v1", "v1beta1"], storage="v1beta1",
         columns=[column("Mode", ".spec.mtls.mode", "Mutual TLS mode."), AGE],
         spec=peer_authentication_spec),
    dict(group="security.istio.io", kind="RequestAuthentication", plural="requestauthentications",
         short=["ra"], versions=["v1", "v1beta1"], storage="v1beta1", columns=[],
         spec=request_authentication_spec),
    dict(group="security.istio.io", kind="AuthorizationPolicy", plural="authorizationpolicies",
         short=["ap"], versions=["v1", "v1beta1"], storage="v1beta1",
         columns=[column("Action", ".spec.action", "What the policy does with matching requests."), AGE],
         spec=authorization_policy_spec),
    dict(group="telemetry.istio.io", kind="Telemetry", plural="telemetries", short=["telemetry"],
         versions=["v1", "v1alpha1"], storage="v1alpha1", columns=[AGE], spec=None),
    dict(group="extensions.istio.io", kind="WasmPlugin", plural="wasmplugins", short=[],
         versions=["v1alpha1"], storage="v1alpha1", columns=[AGE], spec=None, spec_required=True),
    # New in Istio 1.31: WebAssembly or Lua filters for the proxy.
    dict(group="extensions.istio.io", kind="TrafficExtension", plural="trafficextensions", short=[],
         versions=["v1alpha1"], storage="v1alpha1", columns=[AGE], spec=None, spec_required=True),
]


def crd(k):
    if k["spec"] is None:
        spec, status = dict(FREE_FORM), dict(FREE_FORM)
    else:
        spec, status = k["spec"](), dict(FREE_FORM)
    root = {"type": "object", "properties": {"spec": spec, "status": status}}
    if k.get("spec_required"):
        root["required"] = ["spec"]
    versions = []
    for v in k["versions"]:
        entry = {"name": v, "served": True, "storage": v == k["storage"]}
        if k["columns"]:
            entry["additionalPrinterColumns"] = copy.deepcopy(k["columns"])
        entry["subresources"] = {"status": {}}
        entry["schema"] = {"openAPIV3Schema": copy.deepcopy(root)}
        versions.append(entry)
    names = {"kind": k["kind"], "listKind": k["kind"] + "List", "plural": k["plural"],
             "singular": k["kind"].lower(), "categories": ["istio-io", k["group"].replace(".", "-")]}
    if k["short"]:
        names["shortNames"] = k["short"]
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "%s.%s" % (k["plural"], k["group"])},
        "spec": {
            "group": k["group"],
            "names": names,
            "scope": "Namespaced",
            "conversion": {"strategy": "None"},
            "versions": versions,
        },
    }


class Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def main():
    os.makedirs(OUT, exist_ok=True)
    for k in KINDS:
        doc = crd(k)
        path = os.path.join(OUT, doc["metadata"]["name"] + ".yaml")
        typed = "structural schema" if k["spec"] else "spec kept free-form"
        header = ("# CustomResourceDefinition for Istio's %s (%s), %s.\n"
                  "# Served: %s; stored as %s. Shared by every revision: no placeholders here.\n"
                  "# Generated by manifests/tools/gen-crds.py: change that script, not this file.\n"
                  % (k["kind"], k["group"], typed, ", ".join(k["versions"]), k["storage"]))
        with open(path, "w") as f:
            f.write(header)
            yaml.dump(doc, f, Dumper=Dumper, sort_keys=False, default_flow_style=False, width=100)
        print(path)


if __name__ == "__main__":
    main()
