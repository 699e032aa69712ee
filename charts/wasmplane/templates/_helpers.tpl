{{- define "wasmplane.name" -}}wasmplane{{- end -}}
{{- define "wasmplane.labels" -}}
app.kubernetes.io/name: wasmplane
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: wasmplane
{{- end -}}
{{- define "wasmplane.selector" -}}
app.kubernetes.io/name: wasmplane
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{- define "wasmplane.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{/* The Secret in the release namespace that holds the xDS CA and serving certificate. */}}
{{- define "wasmplane.xdsTlsSecret" -}}{{ include "wasmplane.name" . }}-xds-tls{{- end -}}
{{/* The ConfigMap in the release namespace that holds the sidecar bootstrap. */}}
{{- define "wasmplane.sidecarBootstrap" -}}{{ include "wasmplane.name" . }}-sidecar-bootstrap{{- end -}}
{{/* Rules for what the operator reads per watched namespace: cluster-wide or in each Role. */}}
{{- define "wasmplane.watchRules" -}}
- apiGroups: ["extensions.istio.io"]
  resources: ["wasmplugins", "trafficextensions"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["extensions.istio.io"]
  resources: ["wasmplugins/status", "trafficextensions/status"]
  verbs: ["get", "update", "patch"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["gateways"]
  verbs: ["get", "list", "watch"]
{{- end -}}
