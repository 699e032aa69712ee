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
