// Dumps the parts of kyaml's built-in Kubernetes OpenAPI schema that strategic merge
// patches consult: resource type -> definition, and per definition the fields that lead
// to lists with a patch strategy.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"k8s.io/kube-openapi/pkg/validation/spec"
	"sigs.k8s.io/kustomize/kyaml/openapi"
)

type node map[string]interface{}

func refName(r spec.Ref) string {
	s := r.String()
	return strings.TrimPrefix(s, "#/definitions/")
}

func convert(s *spec.Schema) node {
	if s == nil {
		return nil
	}
	if s.Ref.String() != "" {
		return node{"ref": refName(s.Ref)}
	}
	out := node{}
	if ps, ok := s.Extensions["x-kubernetes-patch-strategy"]; ok {
		rs := &openapi.ResourceSchema{Schema: s}
		strategy, keys := rs.PatchStrategyAndKeyList()
		out["ps"] = strategy
		out["mk"] = keys
		_ = ps
	}
	if len(s.Type) == 1 && s.Type[0] == "array" && s.Items != nil && s.Items.Schema != nil {
		out["array"] = true
		if it := convert(s.Items.Schema); len(it) > 0 {
			out["items"] = it
		}
	}
	if len(s.Properties) > 0 {
		p := node{}
		for k, v := range s.Properties {
			v := v
			if c := convert(&v); len(c) > 0 {
				p[k] = c
			}
		}
		if len(p) > 0 {
			out["p"] = p
		}
	}
	if s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil {
		if c := convert(s.AdditionalProperties.Schema); len(c) > 0 {
			out["a"] = c
		}
	}
	if _, isArray := out["array"]; isArray && len(out) == 1 {
		return node{}
	}
	return out
}

func main() {
	root := openapi.Schema()
	defs := node{}
	var types [][]string
	for name, d := range root.Definitions {
		d := d
		c := convert(&d)
		if c == nil {
			c = node{}
		}
		defs[name] = c
		if ext, ok := d.Extensions["x-kubernetes-group-version-kind"]; ok {
			for _, e := range ext.([]interface{}) {
				m := e.(map[string]interface{})
				av := m["version"].(string)
				if g, _ := m["group"].(string); g != "" {
					av = g + "/" + av
				}
				types = append(types, []string{av, m["kind"].(string), name})
			}
		}
	}
	sort.Slice(types, func(i, j int) bool { return strings.Join(types[i], " ") < strings.Join(types[j], " ") })
	out, _ := json.Marshal(node{"types": types, "defs": defs})
	fmt.Fprintln(os.Stderr, len(types), "types,", len(defs), "definitions")
	os.Stdout.Write(out)
}
