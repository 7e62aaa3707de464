"""Context templates: realistic files that hold one credential (and often its neighbours).

Each template is `fn(p) -> (relative path, text)`; `p` is a Profile whose value `p.v` is either a marked
fake credential (positives) or a stand-in such as a placeholder (negatives render the same files). The
templates never name the kind themselves: names, key paths and neighbouring settings come from the
profile, so every template renders each of the seven kinds in its own idiom.
"""

import json

from common import auth_header, fill, http_body, jstr, names, nb, request_url

TEMPLATES = []
FAMILY = "assignment"
# Defaults after an environment lookup, among the assignments.
FALLBACKS = {"shell_default", "python_getenv", "python_environ_get_multiline", "python_dataclass",
             "python_kwarg_default", "js_or_fallback", "ts_nullish", "go_getenv_default", "java_getordefault",
             "kotlin_elvis", "csharp_env_fallback", "php_laravel_env", "ruby_env_fetch", "ruby_env_or",
             "js_destructuring_default", "python_setdefault"}


def template(fn):
    """Registers a context template under the family of the section it is written in."""
    fn.family = "fallback" if fn.__name__ in FALLBACKS else FAMILY
    TEMPLATES.append(fn)
    return fn


def split(fn):
    """A template that splits the value into pieces (not used for the negatives' stand-ins)."""
    fn.split = True
    return fn


def markup(fn):
    """A template in XML-like markup (stand-ins with angle brackets are not put there)."""
    fn.markup = True
    return fn


# -- assignments and declarations -----------------------------------------------------------------

@template
def dotenv(p):
    n = names(p)
    return ".env.production", fill("""
        # «comment»
        # Loaded by docker compose and by the worker at start-up; keep in sync with the vault copy.
        NODE_ENV=production
        LOG_LEVEL=info
        «nbs»
        «ENV»=«v»

        # Outbound mail
        SMTP_HOST=smtp.example.com
        SMTP_PORT=587
        """, nbs=nb(p, "{k}={v}", "UPPER", True), **n)


@template
def shell_export(p):
    n = names(p)
    return "deploy/env.sh", fill("""
        #!/usr/bin/env bash
        # Sourced by the cron entry that pushes nightly reports.
        set -euo pipefail

        «nbs»
        # «comment»
        export «ENV»="«v»"

        export PATH="$HOME/.local/bin:$PATH"
        """, nbs=nb(p, 'export {k}="{v}"', "UPPER", True), **n)


@template
def shell_default(p):
    n = names(p)
    return "scripts/run-sync.sh", fill("""
        #!/bin/sh
        # Local runner for the «Vendor» sync; CI sets the real values.
        : "${WORKDIR:=/var/lib/sync}"
        «ENV»="${«ENV»:-«v»}"
        RETRIES="${RETRIES:-3}"

        exec python -m sync.main --workdir "$WORKDIR" --retries "$RETRIES"
        """, **n)


@template
def python_constant(p):
    n = names(p)
    return "app/settings.py", fill('''
        """Runtime settings for the maintenance bridge."""
        from pathlib import Path

        BASE_DIR = Path(__file__).resolve().parent.parent
        DEBUG = False

        # «comment»
        «nbs»
        «ENV» = "«v»"

        CELERY_BROKER_URL = "redis://localhost:6379/0"
        ''', nbs=nb(p, '{k} = "{v}"', "UPPER", True), **n)


@template
def python_getenv(p):
    n = names(p)
    return "sync/config.py", fill('''
        import os

        # «comment»
        TIMEOUT = int(os.getenv("HTTP_TIMEOUT", "30"))
        «leaf» = os.getenv("«ENV»", "«v»")
        ''', **n)


@template
def python_environ_get_multiline(p):
    n = names(p)
    return "integrations/client_factory.py", fill('''
        import os

        from .http import Session


        def make_client():
            """The «Vendor» client used by the importer."""
            return Session(
                base_url=os.environ.get("«SEC»_BASE_URL", "«base»"),
                «leaf»=os.environ.get(
                    "«ENV»",
                    "«v»",
                ),
                retries=3,
            )
        ''', **n)


@template
def python_dataclass(p):
    n = names(p)
    return "connectors/settings.py", fill('''
        from dataclasses import dataclass, field


        @dataclass(frozen=True)
        class «Sec»Settings:
            """«comment»"""

            base_url: str = "«base»"
            «leaf»: str = "«v»"
            timeout: float = 30.0
            scopes: list[str] = field(default_factory=lambda: ["read"])
        ''', **n)


@template
def python_kwarg_default(p):
    n = names(p)
    return f"lib/{p.vendor}_api.py", fill('''
        import logging

        log = logging.getLogger(__name__)


        def connect(host="«host»",
                    «leaf»="«v»",
                    verify_tls=True):
            """Open a session; the default credential is the sandbox one."""
            log.info("connecting to %s", host)
            return _open(host, «leaf», verify_tls)
        ''', **n)


@template
def js_or_fallback(p):
    n = names(p)
    return "src/config.js", fill('''
        'use strict';

        // «comment»
        const port = Number(process.env.PORT || 8080);
        const «envCamel» = process.env.«ENV» || "«v»";

        module.exports = { port, «envCamel» };
        ''', **n)


@template
def ts_nullish(p):
    n = names(p)
    return "src/integrations/settings.ts", fill('''
        // Settings for the «Vendor» connector. Values come from the environment in production.
        export const «sec»Config = {
          baseUrl: process.env.«SEC»_BASE_URL ?? "«base»",
          «leafCamel»: process.env.«ENV» ?? "«v»",
          pageSize: 100,
        } as const;
        ''', **n)


@template
def js_nested_object(p):
    n = names(p)
    return "config/default.js", fill('''
        module.exports = {
          server: { port: 3000, trustProxy: true },
          // «comment»
          «sec»: {
        «nbs»
            «leafCamel»: '«v»',
          },
        };
        ''', nbs=nb(p, "    {k}: '{v}',", "camel"), **n)


@template
def go_const_block(p):
    n = names(p)
    return "internal/client/consts.go", fill('''
        package client

        // «comment»
        const (
        	«sec»BaseURL = "«base»"
        	«sec»«LeafPascal» = "«v»"
        	defaultPageSize = 50
        )
        ''', **n)


@template
def go_getenv_default(p):
    n = names(p)
    return "cmd/worker/main.go", fill('''
        package main

        import (
        	"log"
        	"os"
        )

        func main() {
        	«leafCamel» := os.Getenv("«ENV»")
        	if «leafCamel» == "" {
        		«leafCamel» = "«v»"
        	}
        	log.Printf("starting worker against %s", "«host»")
        	run(«leafCamel»)
        }
        ''', **n)


@template
def go_struct_literal(p):
    n = names(p)
    return "internal/app/wire.go", fill('''
        package app

        import "example.com/bridge/«sec»"

        func newClient() *«sec».Client {
        	return «sec».New(«sec».Config{
        		BaseURL:      "«base»",
        		«LeafPascal»: "«v»",
        		MaxRetries:   3,
        	})
        }
        ''', **n)


@template
def rust_const(p):
    n = names(p)
    kw = p.f.pick(["const", "static"])
    return "src/config.rs", fill('''
        //! Compile-time defaults for the bridge.

        pub const USER_AGENT: &str = "bridge/1.4";
        /// «comment»
        pub «kw» «ENV»: &str = "«v»";
        pub const RETRIES: u32 = 3;
        ''', kw=kw, **n)


@template
def java_field(p):
    n = names(p)
    return f"src/main/java/com/example/bridge/{p.Vendor}Client.java", fill('''
        package com.example.bridge;

        import java.net.http.HttpClient;
        import java.time.Duration;

        public final class «Vendor»Client {
            private static final String BASE_URL = "«base»";
            private static final String «LEAF» = "«v»";
            private final HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
        }
        ''', **n)


@template
def java_getordefault(p):
    n = names(p)
    return "src/main/java/com/example/jobs/Settings.java", fill('''
        package com.example.jobs;

        import java.util.Map;

        final class Settings {
            private static final Map<String, String> ENV = System.getenv();

            // «comment»
            static final String «LEAF» = ENV.getOrDefault("«ENV»", "«v»");
            static final int BATCH = Integer.parseInt(ENV.getOrDefault("BATCH", "200"));
        }
        ''', **n)


@template
def kotlin_elvis(p):
    n = names(p)
    return "app/src/main/kotlin/com/example/sync/Config.kt", fill('''
        package com.example.sync

        object Config {
            val baseUrl: String = System.getenv("«SEC»_BASE_URL") ?: "«base»"
            val «leafCamel»: String = System.getenv("«ENV»") ?: "«v»"
            const val PAGE_SIZE = 100
        }
        ''', **n)


@template
def gradle_buildconfig(p):
    n = names(p)
    return "app/build.gradle.kts", fill('''
        android {
            namespace = "com.example.fieldapp"
            defaultConfig {
                applicationId = "com.example.fieldapp"
                minSdk = 26
                // «comment»
                buildConfigField("String", "«ENV»", "\\"«v»\\"")
                buildConfigField("String", "«SEC»_HOST", "\\"«host»\\"")
            }
        }
        ''', **n)


@template
def csharp_verbatim(p):
    n = names(p)
    return f"src/Bridge/{p.Vendor}Options.cs", fill('''
        namespace Bridge;

        public sealed class «Sec»Options
        {
            public const string SectionName = "«Sec»";
            public string BaseUrl { get; init; } = "«base»";
            // Fallback used by the local profile only.
            public string «LeafPascal» { get; init; } = @"«v»";
        }
        ''', **n)


@template
def csharp_env_fallback(p):
    n = names(p)
    return "src/Worker/Program.cs", fill('''
        using System;

        var builder = Host.CreateApplicationBuilder(args);
        // «comment»
        var «leafCamel» = Environment.GetEnvironmentVariable("«ENV»") ?? "«v»";
        builder.Services.AddSingleton(new ApiCredentials(«leafCamel»));
        builder.Build().Run();
        ''', **n)


@template
def php_laravel_env(p):
    n = names(p)
    return "config/services.php", fill('''
        <?php

        return [
            'mailgun' => [
                'domain' => env('MAILGUN_DOMAIN'),
            ],

            '«sec»' => [
                'base_url' => env('«SEC»_BASE_URL', '«base»'),
                '«leaf»' => env('«ENV»', '«v»'),
            ],
        ];
        ''', **n)


@template
def php_define(p):
    n = names(p)
    return "wp-content/plugins/cmms-bridge/config.php", fill('''
        <?php
        /**
         * «comment»
         */
        define( 'BRIDGE_VERSION', '2.3.1' );
        define( '«ENV»', '«v»' );
        define( 'BRIDGE_CACHE_TTL', 600 );
        ''', **n)


@template
def ruby_env_fetch(p):
    n = names(p)
    return "config/initializers/bridge.rb", fill('''
        # frozen_string_literal: true

        # «comment»
        Bridge.configure do |config|
          config.base_url = ENV.fetch("«SEC»_BASE_URL", "«base»")
          config.«leaf» = ENV.fetch("«ENV»", "«v»")
          config.logger = Rails.logger
        end
        ''', **n)


@template
def ruby_env_or(p):
    n = names(p)
    return "lib/tasks/sync.rake", fill('''
        namespace :sync do
          desc "Pull records from «Vendor»"
          task pull: :environment do
            «leaf» = ENV["«ENV»"] || "«v»"
            Sync::Puller.new(«leaf»: «leaf»).call
          end
        end
        ''', **n)


@template
def swift_static(p):
    n = names(p)
    return f"Sources/Bridge/{p.Vendor}Config.swift", fill('''
        import Foundation

        /// «comment»
        enum «Sec»Config {
            static let baseURL = URL(string: "«base»")!
            static let «leafCamel» = "«v»"
            static let timeout: TimeInterval = 30
        }
        ''', **n)


@template
def c_define(p):
    n = names(p)
    return "firmware/include/cloud_config.h", fill('''
        #ifndef CLOUD_CONFIG_H
        #define CLOUD_CONFIG_H

        /* «comment» */
        #define «SEC»_HOST        "«host»"
        #define «ENV» "«v»"
        #define UPLOAD_PERIOD_MS  60000

        #endif /* CLOUD_CONFIG_H */
        ''', **n)


# -- structured files by key path -------------------------------------------------------------------

FAMILY = "structured"

@template
def helm_values(p):
    n = names(p)
    return "charts/bridge/values.yaml", fill('''
        replicaCount: 2
        image:
          repository: ghcr.io/example/bridge
          tag: "1.8.0"

        # «comment»
        «sec»:
          enabled: true
          «group»:
        «nbs»
            «leafCamel»: "«v»"

        resources:
          limits:
            memory: 256Mi
        ''', nbs=nb(p, '    {k}: "{v}"', "camel"), **n)


@template
def spring_yaml(p):
    n = names(p)
    return "src/main/resources/application.yml", fill('''
        server:
          port: 8080
        spring:
          application:
            name: work-order-bridge
        «sec»:
          «group»:
        «nbs»
            «leaf_kebab»: «v»
        management:
          endpoints.web.exposure.include: health,info
        ''', nbs=nb(p, "    {k}: {v}", "kebab"), **n)


@template
def ansible_vars(p):
    n = names(p)
    return "inventories/prod/group_vars/bridge.yml", fill('''
        ---
        bridge_user: bridge
        bridge_install_dir: /opt/bridge
        # «comment»
        «nbs»
        «env_snake»: "«v»"
        bridge_restart_handler: restart bridge
        ''', nbs=nb(p, '{k}: "{v}"', "snake", True), **n)


@template
def k8s_stringdata(p):
    n = names(p)
    return "deploy/k8s/secret.yaml", fill('''
        apiVersion: v1
        kind: Secret
        metadata:
          name: «sec»-credentials
          namespace: integrations
          labels:
            app.kubernetes.io/part-of: bridge
        type: Opaque
        stringData:
          «leaf_kebab»: «v»
          log-level: info
        ''', **n)


@template
def gha_env(p):
    n = names(p)
    return ".github/workflows/nightly.yml", fill('''
        name: nightly-sync
        on:
          schedule:
            - cron: "15 3 * * *"
        jobs:
          sync:
            runs-on: ubuntu-latest
            env:
              PYTHON_VERSION: "3.12"
              «ENV»: «v»
            steps:
              - uses: actions/checkout@v4
              - run: make sync
        ''', **n)


@template
def gha_with(p):
    n = names(p)
    return ".github/workflows/deploy.yml", fill('''
        name: deploy
        on: [push]
        jobs:
          push-config:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - name: Register «Vendor» integration
                uses: example/«sec»-setup-action@v2
                with:
                  host: «host»
                  «leaf_kebab»: «v»
                  dry-run: false
        ''', **n)


@template
def appsettings_json(p):
    n = names(p)
    inner = ",\n".join(f'      "{k}": {jstr(v)}' for k, v in p.nb("Pascal"))
    return "src/Api/appsettings.Production.json", fill('''
        {
          "Logging": { "LogLevel": { "Default": "Information" } },
          "«Group»": {
            "«Sec»": {
        «inner»,
              "«LeafPascal»": «vj»
            }
          },
          "AllowedHosts": "*"
        }
        ''', inner=inner, vj=jstr(p.v), **n)


@template
def postman_environment(p):
    n = names(p)
    entries = [{"key": k, "value": "QQVQQ" + str(i), "type": "default", "enabled": True}
               for i, (k, v) in enumerate(p.nb("snake", True))]
    entries.append({"key": p.env("snake"), "value": "QQVQQX", "type": "secret", "enabled": True})
    text = json.dumps({"id": p.f.uuid(), "name": f"{p.Vendor} prod", "values": entries,
                       "_postman_variable_scope": "environment"}, indent="\t")
    for i, (k, v) in enumerate(p.nb("snake", True)):
        text = text.replace(f'"QQVQQ{i}"', jstr(v), 1)
    return f"postman/{p.tenant}.postman_environment.json", text.replace('"QQVQQX"', jstr(p.v)) + "\n"


@template
def postman_collection(p):
    n = names(p)
    if p.http == "bearer":
        auth = {"type": "bearer", "bearer": [{"key": "token", "value": "QQVQQX", "type": "string"}]}
        body = None
    else:
        auth = None
        body = {"mode": "raw", "raw": "QQBODYQQ", "options": {"raw": {"language": "json"}}}
    item = {"name": "List records", "request": {"method": "POST" if body else "GET",
                                                 "header": [{"key": "Accept", "value": "application/json"}],
                                                 "url": {"raw": request_url(p), "host": [p.host]}}}
    if auth:
        item["request"]["auth"] = auth
    if body:
        item["request"]["body"] = body
    text = json.dumps({"info": {"name": f"{p.Vendor} API", "schema":
                                "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
                       "item": [item]}, indent=2)
    text = text.replace('"QQVQQX"', jstr(p.v))
    if body:
        text = text.replace('"QQBODYQQ"', jstr(http_body(p, "json")))
    return "postman/collection.json", text + "\n"


@template
@markup
def har_file(p):
    headers = [{"name": "Accept", "value": "application/json"}, {"name": "User-Agent", "value": "Mozilla/5.0"}]
    req = {"method": "GET", "url": request_url(p), "httpVersion": "HTTP/2", "headers": headers,
           "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0}
    if p.http == "bearer":
        headers.insert(1, {"name": "Authorization", "value": "QQAUTHQQ"})
    else:
        req["method"] = "POST"
        mime = "application/x-www-form-urlencoded" if p.http == "form" else "application/json"
        req["postData"] = {"mimeType": mime, "text": "QQBODYQQ"}
    entry = {"startedDateTime": "2026-03-04T10:11:12.123Z", "time": 182.4, "request": req,
             "response": {"status": 200, "statusText": "OK", "headers": [], "content": {"size": 2, "mimeType": "application/json", "text": "{}"}}}
    text = json.dumps({"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "128.0"},
                               "entries": [entry]}}, indent=2)
    text = text.replace('"QQAUTHQQ"', jstr("Bearer " + str(p.v)))
    if p.http != "bearer":
        text = text.replace('"QQBODYQQ"', jstr(http_body(p, "form" if p.http == "form" else "json")))
    return "captures/session.har", text + "\n"


@template
def jupyter_notebook(p):
    n = names(p)
    src = [f"# {p.comment()}\n", "import requests\n", "\n", f"{p.env()} = \"QQVQQX\"\n",
           f"BASE = \"{p.base_url}\"\n"]
    nb_ = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["## Pull the last 30 days\n"]},
                     {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [], "source": src}],
           "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
           "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(nb_, indent=1)
    return "notebooks/export.ipynb", text.replace("QQVQQX", json.dumps(str(p.v))[1:-1]) + "\n"


@template
def chat_export(p):
    msgs = [{"type": "message", "user": "U02ABCD", "text": f"is the {p.Vendor} sandbox still up?", "ts": "1712131200.000100"},
            {"type": "message", "user": "U07WXYZ", "text": f"yes, use this {p.leaf('kebab').replace('-', ' ')} for now: QQVQQX",
             "ts": "1712131260.000200"},
            {"type": "message", "user": "U02ABCD", "text": "thanks, rotating after the demo", "ts": "1712131300.000300"}]
    text = json.dumps(msgs, indent=4)
    return "exports/slack/integrations/2026-04-03.json", text.replace("QQVQQX", str(p.v)) + "\n"


@template
def toml_section(p):
    n = names(p)
    return "config/bridge.toml", fill('''
        title = "bridge"

        [server]
        listen = "0.0.0.0:8080"

        # «comment»
        [«sec».«group»]
        «nbs»
        «leaf» = "«v»"
        ''', nbs=nb(p, '{k} = "{v}"'), **n)


@template
def ini_colon(p):
    n = names(p)
    return "etc/bridge.ini", fill('''
        [DEFAULT]
        log_level = info

        [«sec»]
        ; «comment»
        «nbs»
        «leaf»: «v»

        [scheduler]
        interval = 15m
        ''', nbs=nb(p, "{k}: {v}"), **n)


@template
def properties_whitespace(p):
    n = names(p)
    return "src/main/resources/bridge.properties", fill('''
        # «comment»
        app.name=bridge
        «nbs»
        «sec».«leaf_dot»   «v»
        http.pool.size=20
        ''', nbs=nb(p, "{k}={v}", "dot", True), leaf_dot=p.leaf("dot"), **n)


@template
@split
def properties_continuation(p):
    n = names(p)
    first, second = p.v.pieces(2)
    return "conf/integration.properties", fill('''
        # «comment»
        «sec».endpoint=«base»
        «sec».«leaf_dot»=«m»«a»\\
            «e»«b»
        «sec».enabled=true
        ''', m=p.v.m, e=p.v.end, a=first, b=second, leaf_dot=p.leaf("dot"), **n)


@template
@markup
def xml_appconfig(p):
    n = names(p)
    return "src/Legacy/App.config", fill('''
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <appSettings>
            <add key="Environment" value="Production" />
            <add key="«Sec»BaseUrl" value="«base»" />
            <add key="«Sec»«LeafPascal»" value="«v»" />
          </appSettings>
        </configuration>
        ''', **n)


@template
@markup
def plist(p):
    n = names(p)
    return "FieldApp/Config.plist", fill('''
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
        <plist version="1.0">
        <dict>
        	<key>«Sec»Host</key>
        	<string>«host»</string>
        	<key>«Sec»«LeafPascal»</key>
        	<string>«v»</string>
        	<key>SyncIntervalMinutes</key>
        	<integer>15</integer>
        </dict>
        </plist>
        ''', **n)


@template
def terraform_block(p):
    n = names(p)
    return "infra/integrations.tf", fill('''
        terraform {
          required_version = ">= 1.6"
        }

        # «comment»
        resource "«sec»_connection" "plant_east" {
          name     = "plant-east"
          endpoint = "«base»"
          «leaf»   = "«v»"
        }
        ''', **n)


@template
def terraform_variable_default(p):
    n = names(p)
    return "infra/variables.tf", fill('''
        variable "region" {
          type    = string
          default = "eu-west-1"
        }

        variable "«env_snake»" {
          description = "«comment»"
          type        = string
          sensitive   = true
          default     = "«v»"
        }
        ''', **n)


@template
def compose_list(p):
    n = names(p)
    return "docker-compose.yml", fill('''
        services:
          worker:
            image: ghcr.io/example/bridge-worker:1.8
            restart: unless-stopped
            environment:
              - LOG_LEVEL=info
        «nbs»
              - «ENV»=«v»
            depends_on: [redis]
          redis:
            image: redis:7
        ''', nbs=nb(p, "      - {k}={v}", "UPPER", True), **n)


@template
def csv_header(p):
    n = names(p)
    cols = ["environment", "owner", p.leaf(), "rotated_on"]
    return f"ops/{p.vendor}-credentials.csv", fill('''
        «cols»
        staging,platform-team,«fake»,2026-01-12
        production,platform-team,«v»,2026-02-03
        ''', cols=",".join(cols), fake="see-vault", **n)


# -- values inside values -----------------------------------------------------------------------------

FAMILY = "inside-value"

@template
def log_escaped_json(p):
    n = names(p)
    body = http_body(p, "json")
    if body is None:
        payload = "{\\\"headers\\\":{\\\"Authorization\\\":\\\"Bearer " + str(p.v) + "\\\"}}"
    else:
        payload = body.replace('"', '\\"')
    return "logs/worker-2026-04-03.log", fill('''
        2026-04-03T09:12:01.114Z INFO  worker started pid=4121
        2026-04-03T09:12:01.530Z DEBUG outbound request host=«host» method=POST
        2026-04-03T09:12:01.531Z DEBUG {"msg":"request","url":"«url»","payload":"«payload»"}
        2026-04-03T09:12:01.902Z INFO  response status=200 elapsed_ms=371
        ''', payload=payload, url=request_url(p), **n)


@template
def url_query(p):
    n = names(p)
    body = http_body(p, "form")
    query = body if body else f"access_token={p.v}"
    return "docs/runbooks/replay.txt", fill('''
        Replay of the failed call from the incident timeline (copied from the proxy log):

          GET «url»?«query» HTTP/1.1
          Host: «host»
          Accept: application/json
        ''', url=request_url(p).split("?")[0], query=query, **n)


@template
def curl_header(p):
    n = names(p)
    body = http_body(p, "json")
    if body is None:
        line = f'  -H "{auth_header(p)}" \\'
    else:
        line = f"  -d '{body}' \\"
    return "scripts/smoke-test.sh", fill('''
        #!/usr/bin/env bash
        # Smoke test after deploy: one authenticated call.
        set -e
        curl -sS --fail -X «method» \\
          -H "Content-Type: application/json" \\
        «line»
          "«url»" | jq .
        ''', method="GET" if body is None else "POST", line=line, url=request_url(p), **n)


@template
def httpie(p):
    n = names(p)
    if p.http == "bearer":
        arg = f"'Authorization:Bearer {p.v}'"
    elif p.http == "form":
        arg = f"--form client_secret={p.v}"
    else:
        arg = f"{p.leaf() if not p.is_webhook else 'secret'}={p.v}"
    return "notes/debugging.md", fill('''
        ## Debugging the connector

        Reproduce the request locally with httpie:

        ```sh
        http --print=hb POST «url» \\
            «arg» \\
            Accept:application/json
        ```
        ''', url=request_url(p), arg=arg, **n)


@template
def shell_history(p):
    n = names(p)
    if p.http == "bearer":
        line = f'curl -H "Authorization: Bearer {p.v}" {request_url(p)}'
    else:
        line = f"export {p.env()}={p.v}"
    return "home/ops/.bash_history", fill('''
        cd /srv/bridge
        git pull --ff-only
        «line»
        systemctl restart bridge-worker
        journalctl -u bridge-worker -n 50
        ''', line=line, **n)


@template
def cli_flag(p):
    n = names(p)
    flag = p.leaf("kebab") if not p.is_webhook else "webhook-secret"
    return "deploy/systemd/bridge-receiver.service", fill('''
        [Unit]
        Description=Webhook receiver and sync worker («Vendor»)
        After=network-online.target

        [Service]
        User=bridge
        ExecStart=/usr/local/bin/bridge-receiver --listen :9000 \\
            --«flag» «v» \\
            --upstream «base»
        Restart=on-failure

        [Install]
        WantedBy=multi-user.target
        ''', flag=flag, **n)


@template
def python_requests_call(p):
    n = names(p)
    if p.http == "bearer":
        call = f'requests.get("{request_url(p)}", headers={{"Authorization": "Bearer {p.v}"}}, timeout=30)'
    else:
        call = f'requests.post("{request_url(p)}", json={http_body(p, "json")}, timeout=30)'
    return "scratch/try_api.py", fill('''
        import requests

        # quick check of the credentials before wiring the job
        resp = «call»
        resp.raise_for_status()
        print(resp.json())
        ''', call=call, **n)


# -- more idioms: container images, CI systems, flattened key paths -------------------------------------

FAMILY = "assignment"


@template
def dockerfile_env(p):
    n = names(p)
    kw = p.f.pick(["ENV", "ARG"])
    return "docker/worker/Dockerfile", fill('''
        FROM python:3.12-slim
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        # «comment»
        «kw» «ENV»=«v»
        ENV «SEC»_BASE_URL=«base»
        COPY . .
        CMD ["python", "-m", "worker"]
        ''', kw=kw, **n)


@template
def go_short_declaration(p):
    n = names(p)
    return "cmd/backfill/main.go", fill('''
        package main

        import "fmt"

        func main() {
        	endpoint := "«endpoint»"
        	«leafCamel» := "«v»"
        	fmt.Println("backfilling from", endpoint)
        	backfill(endpoint, «leafCamel»)
        }
        ''', **n)


@template
def cpp_constexpr(p):
    n = names(p)
    return "src/uplink/config.hpp", fill('''
        #pragma once
        #include <string_view>

        namespace uplink::«sec» {
        // «comment»
        inline constexpr std::string_view kHost = "«host»";
        inline constexpr std::string_view k«LeafPascal» = "«v»";
        inline constexpr int kRetries = 3;
        }  // namespace uplink::«sec»
        ''', **n)


@template
def js_destructuring_default(p):
    n = names(p)
    return "scripts/seed.mjs", fill('''
        // One-off seeding script for the «Vendor» sandbox.
        const {
          «ENV» = "«v»",
          LOG_LEVEL = "info",
        } = process.env;

        await seed({ credential: «ENV», logLevel: LOG_LEVEL });
        ''', **n)


@template
def python_setdefault(p):
    n = names(p)
    return "tests/conftest_local.py", fill('''
        import os

        # local runs talk to the «Vendor» sandbox («host»)
        os.environ.setdefault("«ENV»", "«v»")
        os.environ.setdefault("LOG_LEVEL", "debug")
        ''', **n)


FAMILY = "structured"


@template
def compose_map(p):
    n = names(p)
    return "compose.override.yml", fill('''
        services:
          api:
            build: .
            ports: ["8080:8080"]
            environment:
              LOG_LEVEL: debug
              «ENV»: «v»
              «SEC»_TIMEOUT: "30"
        ''', **n)


@template
def dotnet_user_secrets(p):
    n = names(p)
    return "src/Api/secrets.json", fill('''
        {
          "ConnectionStrings:Default": "Server=localhost;Database=bridge;Trusted_Connection=True",
          "«Sec»:BaseUrl": "«base»",
          "«Sec»:«Group»:«LeafPascal»": «vj»
        }
        ''', vj=jstr(p.v), **n)


@template
def helm_set_flag(p):
    n = names(p)
    return "deploy/install.sh", fill('''
        #!/usr/bin/env bash
        set -euo pipefail
        helm upgrade --install bridge charts/bridge \\
          --namespace integrations --create-namespace \\
          --set image.tag="${TAG:-1.8.0}" \\
          --set «sec».«group».«leafCamel»=«v» \\
          --wait
        ''', **n)


@template
def gitlab_ci_variables(p):
    n = names(p)
    return ".gitlab-ci.yml", fill('''
        stages: [test, sync]

        variables:
          PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"
          «ENV»: "«v»"

        sync:
          stage: sync
          image: python:3.12
          script:
            - python -m sync --host «host»
        ''', **n)


@template
def rails_credentials_yaml(p):
    n = names(p)
    return "config/credentials/production.yml", fill('''
        secret_key_base_dummy: false
        aws:
          region: eu-west-1
        «sec»:
        «nbs»
          «leaf»: «v»
        ''', nbs=nb(p, "  {k}: {v}"), **n)


@template
def terraform_provider(p):
    n = names(p)
    return "infra/providers.tf", fill('''
        provider "aws" {
          region = "eu-west-1"
        }

        provider "«sec»" {
          endpoint  = "«base»"
          «leaf»    = "«v»"
          timeout_s = 30
        }
        ''', **n)


@template
def k8s_configmap(p):
    n = names(p)
    return "deploy/k8s/configmap.yaml", fill('''
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: bridge-config
          namespace: integrations
        data:
          LOG_LEVEL: info
          «SEC»_BASE_URL: «base»
          «ENV»: "«v»"
        ''', **n)


FAMILY = "assignment"


# -- more languages: typed Go constants, R, Visual Basic, PowerShell, C arrays, setters, Terraform -----------

@template
def go_typed_const(p):
    n = names(p)
    return "internal/bridge/settings.go", fill('''
        package bridge

        // «comment»
        const «sec»BaseURL string = "«base»"

        var (
        	«sec»«LeafPascal» string = "«v»"
        	retryLimit int = 3
        )
        ''', **n)


@template
def r_script(p):
    n = names(p)
    return "analysis/pull_work_orders.R", fill('''
        library(httr)

        # «comment»
        base_url <- "«base»"
        «env_snake» <- "«v»"
        res <- GET(paste0(base_url, "/«endpoint»"))
        ''', **n)


@template
def vb_dim(p):
    n = names(p)
    return "Integrations/BridgeSettings.vb", fill('''
        Public Module BridgeSettings
            \' «comment»
            Public Const BaseUrl As String = "«base»"
            Dim «envCamel» As String = "«v»"
        End Module
        ''', **n)


@template
def powershell_env(p):
    n = names(p)
    return "scripts/Set-BridgeEnv.ps1", fill('''
        # «comment»
        $env:«SEC»_BASE_URL = "«base»"
        $env:«ENV» = "«v»"
        & ./bridge.exe --sync
        ''', **n)


@template
def cpp_char_array(p):
    n = names(p)
    return "firmware/bridge_config.h", fill('''
        #pragma once
        // «comment»
        static const char k«EnvPascal»[] = "«v»";
        static const int kRetryLimit = 3;
        ''', **n)


@template
def test_setup_environ(p):
    n = names(p)
    return "tests/conftest.py", fill('''
        import os

        import pytest


        @pytest.fixture(autouse=True)
        def bridge_env():
            os.environ["«SEC»_BASE_URL"] = "«base»"
            os.environ["«ENV»"] = "«v»"
            yield
        ''', **n)


@template
def go_test_setenv(p):
    n = names(p)
    return "internal/bridge/client_test.go", fill('''
        package bridge

        import (
        	"os"
        	"testing"
        )

        func TestMain(m *testing.M) {
        	os.Setenv("«ENV»", "«v»")
        	os.Exit(m.Run())
        }
        ''', **n)


@template
def php_define(p):
    n = names(p)
    return "wp-content/plugins/bridge/config.php", fill('''
        <?php
        // «comment»
        define('«SEC»_BASE_URL', '«base»');
        define('«ENV»', '«v»');
        ''', **n)


@template
def terraform_variable_default(p):
    n = names(p)
    return "infra/variables.tf", fill('''
        variable "«env_snake»" {
          type      = string
          sensitive = true
          default   = "«v»"
        }
        ''', **n)


@template
def ecs_task_definition(p):
    n = names(p)
    return "deploy/task-definition.json", fill('''
        {
          "family": "bridge",
          "containerDefinitions": [{
            "name": "bridge",
            "image": "registry.example.com/bridge:1.4.2",
            "environment": [
              {"name": "LOG_LEVEL", "value": "info"},
              {"name": "«ENV»", "value": «vj»}
            ]
          }]
        }
        ''', vj=jstr(p.v), **n)


@template
def gradle_groovy_build_config(p):
    n = names(p)
    return "app/build.gradle", fill('''
        android {
            defaultConfig {
                applicationId "com.example.bridge"
                buildConfigField "String", "«ENV»", "\\"«v»\\""
            }
        }
        ''', **n)


@template
def yaml_block_scalar(p):
    n = names(p)
    return "config/bridge.yml", fill('''
        «sec»:
          base_url: «base»
          «leaf»: |
            «v»
          timeout_seconds: 30
        ''', **n)


# -- records labelled by an id or name, commands that store a value, tables of names and values ------

FAMILY = "structured"

@template
def jenkins_casc(p):
    n = names(p)
    return "jenkins/casc/credentials.yaml", fill('''
        credentials:
          system:
            domainCredentials:
              - credentials:
                  - usernamePassword:
                      scope: GLOBAL
                      id: "deploy-bot"
                      username: "deploy"
                      password: "${DEPLOY_BOT_PASSWORD}"
                  - string:
                      scope: GLOBAL
                      id: "«sec»-«leaf_kebab»"
                      secret: "«v»"
                      description: "«comment»"
        ''', **n)


@template
@markup
def jenkins_credentials_xml(p):
    n = names(p)
    return "jenkins_home/credentials.xml", fill('''
        <?xml version='1.1' encoding='UTF-8'?>
        <com.cloudbees.plugins.credentials.SystemCredentialsProvider plugin="credentials@1337.v60b_d7b_c7b_c9f">
          <domainCredentialsMap class="hudson.util.CopyOnWriteMap$Hash">
            <entry>
              <com.cloudbees.plugins.credentials.domains.Domain>
                <specifications/>
              </com.cloudbees.plugins.credentials.domains.Domain>
              <java.util.concurrent.CopyOnWriteArrayList>
                <org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>
                  <scope>GLOBAL</scope>
                  <id>«sec»-«leaf_kebab»</id>
                  <description>sync worker</description>
                  <secret>«v»</secret>
                </org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>
              </java.util.concurrent.CopyOnWriteArrayList>
            </entry>
          </domainCredentialsMap>
        </com.cloudbees.plugins.credentials.SystemCredentialsProvider>
        ''', **n)


@template
def services_list(p):
    n = names(p)
    return "config/integrations.yaml", fill('''
        integrations:
          - name: slack-alerts
            channel: "#ops"
            enabled: true
          - name: «sec»
            «leaf»: "«v»"
            base_url: «base»
            enabled: true
        ''', **n)


@template
def ssm_parameter_json(p):
    n = names(p)
    text = json.dumps({"Parameter": {"Name": f"/prod/{p.section()}/{p.leaf()}", "Type": "SecureString",
                                     "Value": "QQVQQX", "Version": 3, "DataType": "text"}}, indent=4)
    return "infra/params/export.json", text.replace('"QQVQQX"', jstr(p.v)) + "\n"


@template
def markdown_env_table(p):
    n = names(p)
    return "docs/SETUP.md", fill('''
        # Setting up the sync worker

        The worker reads its settings from the environment:

        | Variable | Value | Notes |
        |----------|-------|-------|
        | `LOG_LEVEL` | `info` | |
        | `«ENV»` | `«v»` | «comment» |

        Restart the worker after changing any of them.
        ''', **n)


@template
def csv_name_value(p):
    n = names(p)
    return "ops/settings-export.csv", fill('''
        name,value,updated
        LOG_LEVEL,info,2026-01-12
        «ENV»,«v»,2026-02-03
        ''', **n)


FAMILY = "assignment"

@template
def gh_secret_set(p):
    n = names(p)
    return "scripts/bootstrap-secrets.sh", fill('''
        #!/usr/bin/env bash
        # One-off: copy the production settings into the repository's Actions secrets.
        set -euo pipefail
        gh secret set LOG_LEVEL --body info
        gh secret set «ENV» --body "«v»"
        ''', **n)


@template
def aws_ssm_put_parameter(p):
    n = names(p)
    return "scripts/publish-params.sh", fill('''
        #!/bin/sh
        # «comment»
        aws ssm put-parameter \\
          --name /prod/«sec»/«leaf» \\
          --type SecureString \\
          --value "«v»" \\
          --overwrite
        ''', **n)


@template
def php_nested_array(p):
    n = names(p)
    return "config/local.php", fill('''
        <?php
        // «comment»
        $config['db']['host'] = 'localhost';
        $config['«sec»']['«leaf»'] = '«v»';
        return $config;
        ''', **n)


# -- split values -------------------------------------------------------------------------------------

FAMILY = "split"

@template
@split
def c_adjacent_one_line(p):
    n = names(p)
    a, b, c = p.v.pieces(3)
    prefix = "Bearer " if p.http == "bearer" else ""
    return "firmware/src/uplink.c", fill('''
        #include "uplink.h"

        /* «comment» */
        static const char kAuth[] = "«prefix»«m»«a»" "«b»" "«c»";

        int uplink_send(const uint8_t *buf, size_t len) {
            return http_post("«host»", kAuth, buf, len);
        }
        ''', prefix=prefix, m=p.v.m, e=p.v.end, a=a, b=b, c=c, **n)


@template
@split
def c_adjacent_lines(p):
    n = names(p)
    a, b, c = p.v.pieces(3)
    prefix = "Bearer " if p.http == "bearer" else ""
    return "firmware/src/credentials.c", fill('''
        #include <stddef.h>

        /* «comment»: host «host» */
        const char *const «sec»_«leaf» =
            "«prefix»«m»«a»"
            "«b»"
            "«e»«c»";

        const size_t «sec»_retry_limit = 5;
        ''', prefix=prefix, m=p.v.m, e=p.v.end, a=a, b=b, c=c, **n)


@template
@split
def java_plus_concat(p):
    n = names(p)
    a, b = p.v.pieces(2)
    return f"src/main/java/com/example/{p.Vendor}Defaults.java", fill('''
        package com.example;

        final class «Vendor»Defaults {
            static final String HOST = "«host»";
            static final String «LEAF» = "«m»«a»"
                    + "«e»«b»";
        }
        ''', m=p.v.m, e=p.v.end, a=a, b=b, **n)


@template
@split
def js_plus_concat(p):
    n = names(p)
    a, b = p.v.pieces(2)
    return "src/legacy/auth.js", fill('''
        // «comment»
        var «envCamel» = '«m»«a»' +
            '«e»«b»';
        exports.«envCamel» = «envCamel»;
        ''', m=p.v.m, e=p.v.end, a=a, b=b, **n)


@template
@split
def python_implicit_concat(p):
    n = names(p)
    a, b = p.v.pieces(2)
    return "tools/backfill.py", fill('''
        """Backfill job; the credential below is the staging one."""

        «ENV» = (
            "«m»«a»"
            "«e»«b»"
        )
        BATCH_SIZE = 500
        ''', m=p.v.m, e=p.v.end, a=a, b=b, **n)


@template
@split
def ts_template_literal(p):
    n = names(p)
    a, b = p.v.pieces(2)
    return "src/clients/credentials.ts", fill('''
        // «comment» (split to keep the line short)
        const «LEAF»_HEAD = "«m»«a»";
        const «LEAF»_TAIL = "«e»«b»";
        export const «envCamel» = `${«LEAF»_HEAD}${«LEAF»_TAIL}`;
        ''', m=p.v.m, e=p.v.end, a=a, b=b, **n)


# -- vendor context only nearby, by file path or by host --------------------------------------------------

FAMILY = "nearby-context"

@template
def path_context_yaml(p):
    """The vendor is named only by the file's path."""
    n = names(p)
    return f"config/{p.vendor}/credentials.yaml", fill('''
        # Credentials for this integration (rotated every 90 days).
        «group»:
        «nbs»
          «leaf»: «v»
        ''', nbs=nb(p, "  {k}: {v}"), **n)


@template
def nearby_comment_env(p):
    """A bare name, with the vendor named two lines above."""
    n = names(p)
    return "services/importer/.env", fill('''
        DATABASE_URL=postgres://importer@db:5432/importer
        # --- «Vendor» ---
        # (sandbox tenant, see the wiki page)
        «LEAF»=«v»
        QUEUE=importer-jobs
        ''', **n)


@template
def host_context_python(p):
    """A bare name; only the vendor's host sits nearby."""
    n = names(p)
    return "jobs/pull.py", fill('''
        ENDPOINT = "«endpoint»"
        «LEAF» = "«v»"
        PAGE = 100
        ''', **n)


# -- templates for one kind only ----------------------------------------------------------------------

FAMILY = "kind-specific"
# Each is `fn(doc) -> (path, text)` and creates its own values (several per file where real files do).

SPECIFIC = {k: [] for k in ("maintainx-api-key", "maintainx-webhook-secret", "mindtickle-api-key",
                            "mindtickle-secret-key", "makini-client-secret", "makini-token", "makini-webhook-secret")}


def specific(kind):
    def register(fn):
        SPECIFIC[kind].append(fn)
        return fn
    return register


@specific("mindtickle-api-key")
def mindtickle_bare_pair_dict(doc):
    from profiles import Val
    f = doc.f
    k = Val(doc, "mindtickle-api-key", f.mindtickle_api_key())
    s = Val(doc, "mindtickle-secret-key", f.mindtickle_secret_key())
    return "reports/export_job.py", fill('''
        import requests

        CONFIG = {
            'ls_url': '«t».mindtickle.com',
            'api_key': '«k»',
            'secret_key': '«s»',
        }


        def token():
            r = requests.post("https://api.mindtickle.com/services/data/auth_token", json=CONFIG, timeout=20)
            return r.json()["token"]
        ''', t=f.word(), k=k, s=s)


@specific("mindtickle-secret-key")
def mindtickle_yaml_pair(doc):
    from profiles import Val
    f = doc.f
    k = Val(doc, "mindtickle-api-key", f.mindtickle_api_key())
    s = Val(doc, "mindtickle-secret-key", f.mindtickle_secret_key())
    return "airflow/dags/config/enablement.yaml", fill('''
        # pulled nightly into the warehouse
        source: mindtickle
        connection:
          ls_url: «t».mindtickle.com
          company_id: "«cid»"
          api_key: «k»
          secret_key: «s»
        schedule: "0 2 * * *"
        ''', t=f.word(), cid=f.digits(12), k=k, s=s)


@specific("makini-token")
def makini_token_response(doc):
    from profiles import Val
    f = doc.f
    a = Val(doc, "makini-token", f.makini_token())
    r = Val(doc, "makini-token", f.makini_token())
    return ".cache/makini/token.json", fill('''
        {
          "access_token": "«a»",
          "refresh_token": "«r»",
          "token_type": "bearer",
          "expires_in": 2592000,
          "obtained_from": "https://api.makini.io/link/token"
        }
        ''', a=a, r=r)


@specific("makini-token")
def makini_refresh_script(doc):
    from profiles import Val
    f = doc.f
    r = Val(doc, "makini-token", f.makini_token())
    return "scripts/refresh_token.sh", fill('''
        #!/usr/bin/env bash
        # Renew the Makini access token before it expires (tokens last 30 days).
        curl -s -X POST https://api.makini.io/link/token \\
          -d grant_type=refresh_token \\
          -d refresh_token=«r» | jq -r .access_token > /run/secrets/makini_access
        ''', r=r)


@specific("maintainx-webhook-secret")
def maintainx_webhook_handler(doc):
    from profiles import Val
    f = doc.f
    s = Val(doc, "maintainx-webhook-secret", f.webhook_secret())
    return "src/routes/cmmsHooks.js", fill('''
        const crypto = require("crypto");
        const express = require("express");

        const router = express.Router();
        const SECRET = "«s»";

        router.post("/hooks/cmms", express.raw({ type: "*/*" }), (req, res) => {
          const header = req.get("x-maintainx-webhook-body-signature") || "";
          const [t, v1] = header.split(",").map((p) => p.split("=")[1]);
          const mac = crypto.createHmac("sha256", SECRET).update(`${t}.${req.body}`).digest("hex");
          res.sendStatus(mac === v1 ? 204 : 401);
        });

        module.exports = router;
        ''', s=s)


@specific("makini-webhook-secret")
def makini_webhook_handler(doc):
    from profiles import Val
    f = doc.f
    s = Val(doc, "makini-webhook-secret", f.webhook_secret())
    return "receiver/app.py", fill('''
        import hashlib
        import hmac

        from flask import Flask, abort, request

        app = Flask(__name__)
        # deliveries come from api.makini.io
        SIGNING_SECRET = b"«s»"


        @app.post("/hooks/makini")
        def delivery():
            sent = request.headers.get("X-Webhook-Signature", "")
            mac = hmac.new(SIGNING_SECRET, request.get_data(), hashlib.sha256).hexdigest()
            if not hmac.compare_digest(mac, sent):
                abort(401)
            return "", 204
        ''', s=s)


@specific("makini-client-secret")
def makini_oauth_python(doc):
    from profiles import Val
    f = doc.f
    s = Val(doc, "makini-client-secret", f.makini_client_secret())
    return "etl/makini_auth.py", fill('''
        from requests_oauthlib import OAuth2Session
        from oauthlib.oauth2 import BackendApplicationClient

        CLIENT_ID = "«cid»"
        CLIENT_SECRET = "«s»"
        TOKEN_URL = "https://api.makini.io/link/token"

        session = OAuth2Session(client=BackendApplicationClient(client_id=CLIENT_ID))
        session.fetch_token(token_url=TOKEN_URL, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
        ''', cid=f.uuid(), s=s)


@specific("maintainx-api-key")
def maintainx_multi_org_client(doc):
    from profiles import Val
    f = doc.f
    k = Val(doc, "maintainx-api-key", f.maintainx_api_key())
    return "src/cmms/client.go", fill('''
        package cmms

        import "net/http"

        // One key for several organizations: every call names the organization.
        func newRequest(path string) (*http.Request, error) {
        	req, err := http.NewRequest("GET", "https://api.getmaintainx.com/v1"+path, nil)
        	if err != nil {
        		return nil, err
        	}
        	req.Header.Set("Authorization", "Bearer «k»")
        	req.Header.Set("x-organization-id", "«org»")
        	return req, nil
        }
        ''', k=k, org=f.digits(6))
