{{/* Chart name, overridable. */}}
{{- define "kook.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every resource name: "<release>-kook", or the release name alone when it already says kook. */}}
{{- define "kook.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "kook.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels shared by every object of the release, besides the selector labels. */}}
{{- define "kook.commonLabels" -}}
helm.sh/chart: {{ include "kook.chart" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kook
{{- end }}

{{/*
Selector labels of the Kook server. The component label keeps Kook's selectors from ever matching
ZooKeeper pods of the same release, and the other way round.
*/}}
{{- define "kook.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end }}

{{- define "kook.labels" -}}
{{ include "kook.commonLabels" . }}
{{ include "kook.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{/* Bundled ZooKeeper. 52 characters at most: StatefulSet pods add "-<ordinal>" and revisions a hash. */}}
{{- define "kook.zookeeper.fullname" -}}
{{- printf "%s-zookeeper" (include "kook.fullname" .) | trunc 52 | trimSuffix "-" }}
{{- end }}

{{/* Headless Service that gives each ZooKeeper pod its stable DNS name. */}}
{{- define "kook.zookeeper.headlessName" -}}
{{- printf "%s-headless" (include "kook.zookeeper.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kook.zookeeper.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: zookeeper
{{- end }}

{{- define "kook.zookeeper.labels" -}}
{{ include "kook.commonLabels" . }}
{{ include "kook.zookeeper.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.zookeeper.image.tag | quote }}
{{- end }}

{{/* Fully qualified DNS name of ZooKeeper pod $ordinal. Call with (list $ $ordinal). */}}
{{- define "kook.zookeeper.podHost" -}}
{{- $ := index . 0 }}
{{- printf "%s-%d.%s.%s.svc.%s" (include "kook.zookeeper.fullname" $) (int (index . 1)) (include "kook.zookeeper.headlessName" $) $.Release.Namespace $.Values.clusterDomain }}
{{- end }}

{{/*
ZOO_SERVERS for the official image: "server.<id>=<host>:2888:3888;2181", one per pod. Ids start at 1 while
ordinals start at 0, so pod N is server N+1 (the container's start script derives ZOO_MY_ID the same way).
*/}}
{{- define "kook.zookeeper.servers" -}}
{{- $servers := list }}
{{- range $i := until (int .Values.zookeeper.replicas) }}
{{- $servers = append $servers (printf "server.%d=%s:2888:3888;2181" (add1 $i) (include "kook.zookeeper.podHost" (list $ $i))) }}
{{- end }}
{{- join " " $servers }}
{{- end }}

{{/*
The connect string Kook gets: every bundled server by its pod DNS name (the client fails over between
them; the headless Service publishes them before they are ready), or the external ensemble's.
*/}}
{{- define "kook.zookeeper.connectString" -}}
{{- if .Values.zookeeper.enabled }}
{{- if .Values.externalZookeeper.connectString }}
{{- fail "externalZookeeper.connectString is set while zookeeper.enabled=true: set zookeeper.enabled=false to use the external ensemble, or clear the connect string to use the bundled one" }}
{{- end }}
{{- if lt (int .Values.zookeeper.replicas) 1 }}
{{- fail "zookeeper.replicas must be at least 1 (3 or 5 for a fault-tolerant ensemble)" }}
{{- end }}
{{- $hosts := list }}
{{- range $i := until (int .Values.zookeeper.replicas) }}
{{- $hosts = append $hosts (printf "%s:2181" (include "kook.zookeeper.podHost" (list $ $i))) }}
{{- end }}
{{- join "," $hosts }}
{{- else }}
{{- required "externalZookeeper.connectString is required when zookeeper.enabled=false, e.g. --set externalZookeeper.connectString=zk1:2181\\,zk2:2181\\,zk3:2181" .Values.externalZookeeper.connectString }}
{{- end }}
{{- end }}

{{/*
Pod anti-affinity keeping pods with the given selector labels on different nodes.
Call with (dict "mode" "soft|hard|" "labels" <selector labels yaml>).
*/}}
{{- define "kook.podAntiAffinity" -}}
{{- if eq .mode "hard" }}
podAntiAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
    - topologyKey: kubernetes.io/hostname
      labelSelector:
        matchLabels:
          {{- .labels | nindent 10 }}
{{- else if eq .mode "soft" }}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- .labels | nindent 12 }}
{{- else if ne .mode "" }}
{{- fail (printf "podAntiAffinity must be \"soft\", \"hard\" or \"\", not %q" .mode) }}
{{- end }}
{{- end }}

{{/* The Secret holding the bootstrap admin token (key "token"): the given one, or the chart's. */}}
{{- define "kook.bootstrapTokenSecretName" -}}
{{- .Values.security.bootstrapToken.existingSecret | default (printf "%s-bootstrap-token" (include "kook.fullname" .)) }}
{{- end }}

{{/* The Secret holding ZooKeeper digest credentials (keys "username", "password"): the given one, or the chart's. */}}
{{- define "kook.zookeeperAuthSecretName" -}}
{{- .Values.zookeeperAuth.existingSecret | default (printf "%s-zookeeper-auth" (include "kook.fullname" .)) }}
{{- end }}

{{/* "HTTPS" when Kook serves TLS (tls.enabled), else "HTTP": the scheme of probes and scrapes. */}}
{{- define "kook.scheme" -}}
{{- if .Values.tls.enabled }}HTTPS{{ else }}HTTP{{ end }}
{{- end }}

{{/*
The Secret with Kook's ZooKeeper client key and trust stores (keys keystore.p12, truststore.p12,
keystore-password, truststore-password). The bundled ensemble serves no TLS, so this needs an external one.
*/}}
{{- define "kook.zookeeperTlsSecretName" -}}
{{- if .Values.zookeeper.enabled }}
{{- fail "zookeeperTls.enabled needs an external ensemble that serves TLS: the bundled one does not (set zookeeper.enabled=false and externalZookeeper.connectString to its TLS client port)" }}
{{- end }}
{{- required "zookeeperTls.secretName is required when zookeeperTls.enabled (keys keystore.p12, truststore.p12, keystore-password, truststore-password)" .Values.zookeeperTls.secretName }}
{{- end }}

{{/* Selector labels of the `helm test` pod; the Kook NetworkPolicy lets it in when it restricts clients. */}}
{{- define "kook.testSelectorLabels" -}}
app.kubernetes.io/name: {{ include "kook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: test
{{- end }}

{{/* An image reference "repository:tag", or "repository:tag@digest" when a digest pins it. Call with the image values. */}}
{{- define "kook.image" -}}
{{- if .digest }}
{{- printf "%s:%s@%s" .repository .tag .digest }}
{{- else }}
{{- printf "%s:%s" .repository .tag }}
{{- end }}
{{- end }}

{{/*
The webhooks of kook.hooks.webhooks, checked as Kook checks them at startup (name and url, and either a
secret from a Secret or unsigned: true, never both), so a bad list fails the install instead of the pods.
*/}}
{{- define "kook.hooks.checked" -}}
{{- range $i, $hook := .Values.hooks.webhooks }}
{{- $where := printf "hooks.webhooks[%d]" $i }}
{{- if not $hook.name }}{{ fail (printf "%s.name is required" $where) }}{{ end }}
{{- if not $hook.url }}{{ fail (printf "%s.url is required (webhook %s)" $where $hook.name) }}{{ end }}
{{- $secret := and $hook.secretRef $hook.secretRef.name }}
{{- if and $secret $hook.unsigned }}
{{- fail (printf "%s (webhook %s) sets both secretRef and unsigned: true; keep one" $where $hook.name) }}
{{- end }}
{{- if not (or $secret $hook.unsigned) }}
{{- fail (printf "%s (webhook %s) needs secretRef.name, a Secret holding its signing key, or unsigned: true" $where $hook.name) }}
{{- end }}
{{- end }}
{{- range $i, $command := .Values.hooks.commands }}
{{- if not (and $command.name $command.command) }}{{ fail (printf "hooks.commands[%d] needs name and command" $i) }}{{ end }}
{{- end }}
{{- end }}
