#!/bin/sh
# An exec credential plugin answering in another apiVersion than the kubeconfig asks for.
echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}'
