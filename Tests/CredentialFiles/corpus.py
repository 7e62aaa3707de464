#!/usr/bin/env python3
"""The credential-file corpus (issue 21): generate, scan with the real binary, score.

    corpus.py [--bin PATH] [--seed N] [--keep DIR] [--report-only] [--verbose]
    corpus.py --self-test [--seed N]          # the scorer on a planted report, without a binary

Writes credential files the way their tools write them (.netrc, .pgpass, Docker config.json, FileZilla and
WinSCP site files, wp-config.php, terraform.tfstate, ...) with fake values made at run time, and their
clean counterparts (templates, examples, documentation, code that reads the secret from elsewhere), into
a fresh temporary directory. Every credential line is recorded. Then `keywarden scan --no-git --format
json` runs over them; a credential line is found when a finding starts on it. Any finding in a clean file,
or on a line of a credential file that holds no credential, is a false positive.

Prints one row per file type (credential lines found/total, false positives). Exit 0 when recall over all
credential lines is at least 0.95 and there is no false positive, 1 otherwise (--report-only: always 0),
2 when the scan fails. Standard library only; the seed is printed first.
"""

import argparse
import base64
import collections
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

RECALL_GOAL = 0.95
MARK = "\u27e6C\u27e7"  # appended to a credential line while generating, removed before writing


class Fakes:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def pick(self, chars, n):
        return "".join(self.r.choice(chars) for _ in range(n))

    def alnum(self, n):
        lower, upper, digits = "abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789"
        while True:
            v = self.pick(lower + upper + digits, n)
            if any(c in lower for c in v) and any(c in upper for c in v) and any(c in digits for c in v):
                return v

    def password(self, n=None, punct="#%+=!"):
        n = n or self.r.randint(12, 20)
        v = list(self.alnum(n - 2)) + [self.r.choice(punct), self.r.choice("23456789")]
        self.r.shuffle(v)
        # A tool writing a password that starts with `#` quotes it (unquoted, YAML, INI and shell read a comment).
        while v[0] == "#":
            self.r.shuffle(v)
        return "".join(v)

    def hex(self, n):
        return self.pick("0123456789abcdef", n)

    def b64(self, raw_len):
        return base64.b64encode(bytes(self.r.getrandbits(8) for _ in range(raw_len))).decode()

    def crypt64(self, n):
        return self.pick("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", n)

    def bcrypt(self, prefix="$2y$"):
        return f"{prefix}{self.r.choice(['10', '12'])}${self.crypt64(53)}"

    def sha512crypt(self):
        return f"$6${self.crypt64(16)}${self.crypt64(86)}"

    def apr1(self):
        return f"$apr1${self.crypt64(8)}${self.crypt64(22)}"

    def host(self):
        return f"{self.r.choice(['db', 'pg', 'mysql', 'web', 'ftp', 'files', 'app'])}{self.r.randint(1, 9)}." \
               f"{self.r.choice(['corp.internal', 'prod.acme-co.net', 'eu.int.lan'])}"

    def user(self):
        return self.r.choice(["deploy", "svc_app", "billing", "reporting", "ops", "jenkins", "etl", "webadmin"])

    def aws_id(self):
        return "AKIA" + self.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)

    def aws_secret(self):
        return self.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+", 40)


def winscp_encode(password, user, host, r):
    def enc(b):
        return "%02X" % ((~b ^ 0xA3) & 0xFF)
    data = (user + host + password).encode()
    shift = r.randint(0, 10)
    out = enc(0xFF) + enc(0) + enc(len(data)) + enc(shift)
    out += "".join(enc(r.getrandbits(8)) for _ in range(shift)) + "".join(enc(b) for b in data)
    return out


def positives(f):
    """(file type, path, text): credential lines end with MARK."""
    r = f.r
    M = MARK
    h, u = f.host(), f.user()
    out = []
    add = lambda kind, path, text: out.append((kind, path, text))

    add(".netrc", "home/alice/.netrc",
        f"machine {f.host()} login {u} password {f.password()}{M}\n"
        f"machine api.heroku.com\n  login ops@acme-co.net\n  password {f.hex(8)}-{f.hex(4)}-{f.hex(4)}-{f.hex(4)}-{f.hex(12)}{M}\n")
    add(".netrc", "Users/bob/_netrc", f"machine {h}\nlogin {u}\npassword {f.password()}{M}\n")
    add(".pgpass", "home/alice/.pgpass",
        f"{h}:5432:orders:{u}:{f.password()}{M}\n*:*:*:replicator:{f.password()}{M}\n")
    add(".git-credentials", "home/alice/.git-credentials",
        f"https://{u}:{f.password()}@git.acme-co.net{M}\nhttps://ci-bot:{f.alnum(32)}@gitlab.corp.internal{M}\n")
    add(".npmrc", "web/.npmrc",
        f"registry=https://npm.corp.internal/repository/npm/\n//npm.corp.internal/repository/npm/:_authToken={f.b64(30)}{M}\nalways-auth=true\n")
    add(".yarnrc.yml", "web/.yarnrc.yml",
        f"nodeLinker: node-modules\nnpmScopes:\n  acme:\n    npmRegistryServer: \"https://npm.corp.internal\"\n    npmAuthToken: \"{f.alnum(36)}\"{M}\n")
    add(".pypirc", "home/alice/.pypirc",
        f"[distutils]\nindex-servers =\n    corp\n\n[corp]\nrepository = https://pypi.corp.internal/\nusername = {u}\npassword = {f.password()}{M}\n")
    add("pip.conf", "home/alice/.config/pip/pip.conf",
        f"[global]\ntimeout = 60\nindex-url = https://{u}:{f.password(punct='!')}@pypi.corp.internal/simple{M}\n")
    add(".gem/credentials", "home/alice/.gem/credentials", f"---\n:rubygems_api_key: {f.hex(32)}{M}\n")
    add(".m2/settings.xml", "home/alice/.m2/settings.xml",
        "<settings xmlns=\"http://maven.apache.org/SETTINGS/1.0.0\">\n  <servers>\n    <server>\n      <id>acme-releases</id>\n"
        f"      <username>{u}</username>\n      <password>{f.password()}</password>{M}\n    </server>\n  </servers>\n</settings>\n")
    add("NuGet.Config", "src/NuGet.Config",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n"
        "    <add key=\"AcmeFeed\" value=\"https://nuget.corp.internal/v3/index.json\" />\n  </packageSources>\n"
        f"  <packageSourceCredentials>\n    <AcmeFeed>\n      <add key=\"Username\" value=\"{u}\" />\n"
        f"      <add key=\"ClearTextPassword\" value=\"{f.password()}\" />{M}\n    </AcmeFeed>\n  </packageSourceCredentials>\n</configuration>\n")
    add(".cargo/credentials", "home/alice/.cargo/credentials.toml",
        f"[registry]\ntoken = \"{f.alnum(32)}\"{M}\n\n[registries.acme]\ntoken = \"{f.alnum(40)}\"{M}\n")
    a1 = base64.b64encode(f"{u}:{f.password()}".encode()).decode()
    a2 = base64.b64encode(f"robot$ci:{f.alnum(32)}".encode()).decode()
    add("docker config.json", "home/alice/.docker/config.json",
        "{\n\t\"auths\": {\n\t\t\"registry.corp.internal\": {\n"
        f"\t\t\t\"auth\": \"{a1}\"{M}\n\t\t}},\n\t\t\"harbor.acme-co.net\": {{\n\t\t\t\"auth\": \"{a2}\"{M}\n\t\t}}\n\t}},\n"
        "\t\"HttpHeaders\": {\n\t\t\"User-Agent\": \"Docker-Client/24.0.7 (linux)\"\n\t}\n}\n")
    a3 = base64.b64encode(f"{u}:{f.password()}".encode()).decode()
    add(".dockercfg", "home/alice/.dockercfg", f"{{\"https://index.docker.io/v1/\":{{\"auth\":\"{a3}\",\"email\":\"ops@acme-co.net\"}}}}{M}\n")
    add(".htpasswd", "site/.htpasswd",
        f"admin:{f.apr1()}{M}\n{u}:{f.bcrypt()}{M}\nreports:{{SHA}}{f.b64(20)}{M}\n")
    add("shadow", "backup/etc/shadow",
        "daemon:*:19700:0:99999:7:::\nbin:*:19700:0:99999:7:::\n"
        f"root:{f.sha512crypt()}:19715:0:99999:7:::{M}\n{u}:{f.sha512crypt()}:19800:0:99999:7:::{M}\nsshd:!:19700::::::\n")
    add(".s3cfg", "home/alice/.s3cfg",
        f"[default]\naccess_key = {f.aws_id()}{M}\nbucket_location = EU\nhost_base = s3.amazonaws.com\n"
        f"host_bucket = %(bucket)s.s3.amazonaws.com\nsecret_key = {f.aws_secret()}{M}\nuse_https = True\n")
    add(".aws/credentials", "home/alice/.aws/credentials",
        f"[default]\naws_access_key_id = {f.aws_id()}{M}\naws_secret_access_key = {f.aws_secret()}{M}\n")
    add(".boto", "home/alice/.boto",
        f"[Credentials]\ngs_access_key_id = GOOG1E{f.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 50)}\n"
        f"gs_secret_access_key = {f.aws_secret()}{M}\n\n[Boto]\nhttps_validate_certificates = True\n")
    add("gcloud ADC JSON", "home/alice/.config/gcloud/application_default_credentials.json",
        "{\n  \"account\": \"\",\n  \"client_id\": \"764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com\",\n"
        "  \"client_secret\": \"d-FL95Q19q7MQmFpd7hHD0Ty\",\n"
        f"  \"refresh_token\": \"1//0{f.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 98)}\",{M}\n"
        "  \"type\": \"authorized_user\",\n  \"universe_domain\": \"googleapis.com\"\n}\n")
    add("kubeconfig", "home/alice/.kube/config",
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: LS0tLS1CRUdJTg==\n"
        "    server: https://k8s.corp.internal:6443\n  name: prod\ncontexts:\n- context:\n    cluster: prod\n    user: ci-deployer\n"
        "  name: prod\ncurrent-context: prod\nkind: Config\npreferences: {}\nusers:\n- name: ci-deployer\n  user:\n"
        f"    token: {f.alnum(48)}{M}\n")
    add(".env (Laravel)", "shop/.env",
        f"APP_NAME=Shop\nAPP_ENV=production\nAPP_KEY=base64:{f.b64(32)}{M}\nAPP_DEBUG=false\nAPP_URL=https://shop.acme-co.net\n\n"
        f"DB_CONNECTION=mysql\nDB_HOST={h}\nDB_PORT=3306\nDB_DATABASE=shop\nDB_USERNAME={u}\nDB_PASSWORD={f.password()}{M}\n\n"
        f"MAIL_MAILER=smtp\nMAIL_HOST=smtp.acme-co.net\nMAIL_PORT=587\nMAIL_USERNAME=noreply@acme-co.net\nMAIL_PASSWORD={f.password()}{M}\n")
    add(".env (Django)", "api/.env",
        f"DEBUG=False\nSECRET_KEY={f.alnum(50)}{M}\nALLOWED_HOSTS=api.acme-co.net\n"
        f"DATABASE_URL=postgres://{u}:{f.password(punct='!')}@{h}:5432/api{M}\nREDIS_PASSWORD=\"{f.password()}\"{M}\n")
    add(".env (Rails)", "store/.env.production",
        f"RAILS_ENV=production\nSECRET_KEY_BASE={f.hex(128)}{M}\nRAILS_MASTER_KEY={f.hex(32)}{M}\nDATABASE_HOST={h}\n")
    add(".env (Node)", "backend/.env",
        f"NODE_ENV=production\nPORT=8080\nSESSION_SECRET={f.alnum(40)}{M}\nJWT_SECRET=\"{f.b64(33)}\"{M}\n"
        f"MONGO_PASSWORD='{f.password()}'{M}\n")
    add("Sublime SFTP", "site/sftp-config.json",
        "{\n    // The tab key will cycle through the settings when first created\n    \"type\": \"sftp\",\n\n"
        "    \"save_before_upload\": true,\n    \"upload_on_save\": false,\n    \"sync_down_on_open\": false,\n\n"
        f"    \"host\": \"{h}\",\n    \"user\": \"{u}\",\n    \"password\": \"{f.password()}\",{M}\n    \"port\": \"22\",\n\n"
        "    \"remote_path\": \"/var/www/html/\",\n    \"file_permissions\": \"664\",\n    \"dir_permissions\": \"775\"\n}\n")
    add("VS Code sftp.json", "site/.vscode/sftp.json",
        f"{{\n    \"name\": \"Production\",\n    \"host\": \"{h}\",\n    \"protocol\": \"sftp\",\n    \"port\": 22,\n"
        f"    \"username\": \"{u}\",\n    \"password\": \"{f.password()}\",{M}\n    \"remotePath\": \"/var/www\",\n    \"uploadOnSave\": true\n}}\n")
    add("Atom remote-sync", "site/.remote-sync.json",
        f"{{\n  \"transport\": \"ftp\",\n  \"hostname\": \"{h}\",\n  \"port\": \"21\",\n  \"username\": \"{u}\",\n"
        f"  \"password\": \"{f.password()}\",{M}\n  \"target\": \"/public_html\",\n  \"uploadOnSave\": true\n}}\n")
    add("Atom .ftpconfig", "site/.ftpconfig",
        f"{{\n    \"protocol\": \"sftp\",\n    \"host\": \"{h}\",\n    \"port\": 22,\n    \"user\": \"{u}\",\n"
        f"    \"pass\": \"{f.password()}\",{M}\n    \"remote\": \"/\",\n    \"promptForPass\": false\n}}\n")
    add("JetBrains dataSources", "shop/.idea/dataSources.local.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project version=\"4\">\n  <component name=\"dataSourceStorageLocal\">\n"
        "    <data-source name=\"prod\" uuid=\"2f0c1a2e-5b7d-4c1e-9f3a-7d2b8e6a4c10\">\n"
        f"      <jdbc-url>jdbc:postgresql://{h}:5432/orders</jdbc-url>\n      <user-name>{u}</user-name>\n"
        f"      <user-password>{f.hex(40)}</user-password>{M}\n    </data-source>\n  </component>\n</project>\n")
    add("JetBrains webServers", "shop/.idea/webServers.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project version=\"4\">\n  <component name=\"WebServers\">\n"
        "    <option name=\"servers\">\n      <webServer id=\"7c1\" name=\"prod\" url=\"http://www.acme-co.net\">\n"
        f"        <fileTransfer host=\"{h}\" port=\"21\" accessType=\"FTP\" login=\"{u}\" password=\"{f.hex(32)}\" />{M}\n"
        "      </webServer>\n    </option>\n  </component>\n</project>\n")
    pz = f.password(punct="!")
    add("FileZilla sitemanager.xml", "AppData/Roaming/FileZilla/sitemanager.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\" ?>\n<FileZilla3 version=\"3.66.4\" platform=\"windows\">\n"
        f"\t<Servers>\n\t\t<Server>\n\t\t\t<Host>{h}</Host>\n\t\t\t<Port>21</Port>\n\t\t\t<Protocol>0</Protocol>\n\t\t\t<Type>0</Type>\n"
        f"\t\t\t<User>{u}</User>\n\t\t\t<Pass encoding=\"base64\">{base64.b64encode(pz.encode()).decode()}</Pass>{M}\n"
        "\t\t\t<Logontype>1</Logontype>\n\t\t\t<Name>prod</Name>\n\t\t</Server>\n\t</Servers>\n</FileZilla3>\n")
    add("FileZilla recentservers.xml", "AppData/Roaming/FileZilla/recentservers.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FileZilla3>\n\t<RecentServers>\n\t\t<Server>\n"
        f"\t\t\t<Host>{f.host()}</Host>\n\t\t\t<Port>21</Port>\n\t\t\t<User>{u}</User>\n\t\t\t<Pass>{f.password()}</Pass>{M}\n"
        "\t\t</Server>\n\t</RecentServers>\n</FileZilla3>\n")
    wu, wh = f.user(), f.host()
    add("WinSCP.ini", "AppData/Roaming/WinSCP.ini",
        f"[Configuration\\Interface]\nRandomSeedFile=%APPDATA%\\winscp.rnd\n\n[Sessions\\{wu}@{wh}]\nHostName={wh}\nUserName={wu}\n"
        f"Password={winscp_encode(f.password(), wu, wh, r)}{M}\nFSProtocol=2\n")
    add("DBeaver credentials", "home/alice/.local/share/DBeaverData/workspace6/General/.dbeaver/credentials-config.json",
        "\x1b\x8e\x03" + f.hex(40) + MARK + "\n")
    add("Robo 3T", "home/alice/.3T/robo-3t/1.4.4/robo3t.json",
        "{\n    \"connections\": [\n        {\n            \"connectionName\": \"prod\",\n"
        f"            \"serverHost\": \"{h}\",\n            \"serverPort\": 27017,\n            \"credentials\": [\n                {{\n"
        f"                    \"databaseName\": \"admin\",\n                    \"enabled\": true,\n"
        f"                    \"userName\": \"{u}\",\n                    \"userPassword\": \"{f.password()}\"{M}\n"
        "                }\n            ]\n        }\n    ]\n}\n")
    add("MongoDB Compass", "home/alice/.config/MongoDB Compass/Connections/prod.json",
        f"{{\"_id\":\"6d1c\",\"connectionInfo\":{{\"connectionOptions\":{{\"connectionString\":\"mongodb://{u}:{f.password(punct='!')}@{h}:27017/?authSource=admin\"}}}}}}{M}\n")
    add(".msmtprc", "home/alice/.msmtprc",
        f"defaults\nauth on\ntls on\n\naccount acme\nhost smtp.acme-co.net\nport 587\nfrom {u}@acme-co.net\nuser {u}@acme-co.net\n"
        f"password {f.password()}{M}\n\naccount default : acme\n")
    add(".muttrc", "home/alice/.muttrc",
        f"set imap_user = \"{u}@acme-co.net\"\nset imap_pass = \"{f.password()}\"{M}\n"
        f"set smtp_url = \"smtps://{u}@acme-co.net@smtp.acme-co.net:465/\"\nset smtp_pass = \"{f.password()}\"{M}\nset folder = \"imaps://imap.acme-co.net/\"\n")
    add(".esmtprc", "home/alice/.esmtprc",
        f"hostname = smtp.acme-co.net:587\nusername = \"{u}\"\npassword = \"{f.password()}\"{M}\nstarttls = required\n")
    add("irssi config", "home/alice/.irssi/config",
        "servers = (\n  {\n    address = \"irc.libera.chat\";\n    chatnet = \"liberachat\";\n    port = \"6697\";\n"
        f"    password = \"{f.password()}\";{M}\n    use_tls = \"yes\";\n  }}\n);\n")
    add("Ventrilo ini", "srv/ventrilo/ventrilo_srv.ini",
        f"[Server]\nName=Guild voice\nPhonetic=Guild voice\nAuth=1\nDuplicates=1\nAdminPassword={f.password()}{M}\n"
        f"Password={f.password()}{M}\nSendBuffer=0\nRecvBuffer=0\n")
    add("TeamSpeak ini", "srv/teamspeak3/ts3db_mariadb.ini",
        f"[config]\nhost={h}\nport=3306\nusername=teamspeak\npassword={f.password()}{M}\ndatabase=ts3\nsocket=\n")
    add("SQL dump (hashes)", "backup/shop-2024-05-01.sql",
        "-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Table structure for table `users`\n--\n\n"
        "DROP TABLE IF EXISTS `users`;\nCREATE TABLE `users` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `email` varchar(255) NOT NULL,\n"
        "  `password` varchar(255) NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\n"
        "LOCK TABLES `users` WRITE;\n"
        f"INSERT INTO `users` VALUES (1,'admin@acme-co.net','{f.bcrypt()}');{M}\n"
        f"INSERT INTO `users` VALUES (2,'{u}@acme-co.net','{f.bcrypt('$2b$')}');{M}\nUNLOCK TABLES;\n")
    add("SQL (CREATE USER)", "db/migrations/0007_reporting_user.sql",
        f"CREATE USER 'reporting'@'10.0.%' IDENTIFIED BY '{f.password()}';{M}\n"
        "GRANT SELECT ON shop.* TO 'reporting'@'10.0.%';\n"
        f"CREATE ROLE etl WITH LOGIN PASSWORD '{f.password()}';{M}\n")
    add("Firefox logins.json", "home/alice/.mozilla/firefox/x1y2z3.default-release/logins.json",
        "{\"nextId\":3,\"logins\":[{\"id\":1,\"hostname\":\"https://intranet.acme-co.net\",\"httpRealm\":null,"
        "\"formSubmitURL\":\"https://intranet.acme-co.net\",\"usernameField\":\"user\",\"passwordField\":\"pass\","
        f"\"encryptedUsername\":\"MDIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECL{f.b64(18)}\","
        f"\"encryptedPassword\":\"MEIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECP{f.b64(30)}\",\"guid\":\"{{5a1c}}\",\"encType\":1,"
        "\"timeCreated\":1700000000000,\"timeLastUsed\":1700000000000,\"timePasswordChanged\":1700000000000,\"timesUsed\":3}],"
        "\"potentiallyVulnerablePasswords\":[],\"dismissedBreachAlertsByLoginGUID\":{},\"version\":3}" + MARK + "\n")
    salts = "".join(
        f"define( '{k}', '{f.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#%^&*-_=+[]<>~|,.;:?', 64)}' );{M}\n"
        for k in ["AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"])
    add("wp-config.php", "www/wp-config.php",
        "<?php\n/** The name of the database for WordPress */\ndefine( 'DB_NAME', 'wordpress' );\n\n"
        f"/** Database username */\ndefine( 'DB_USER', '{u}' );\n\n/** Database password */\n"
        f"define( 'DB_PASSWORD', '{f.password()}' );{M}\n\n/** Database hostname */\ndefine( 'DB_HOST', '{h}' );\n\n"
        f"define( 'DB_CHARSET', 'utf8mb4' );\n\n{salts}\n$table_prefix = 'wp_';\n")
    add("Django settings", "mysite/mysite/settings.py",
        "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\n"
        "# SECURITY WARNING: keep the secret key used in production secret!\n"
        f"{'SECRET' + '_KEY'} = 'django-insecure-{f.pick('abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)', 50)}'{M}\n\n"
        "DEBUG = False\n\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n"
        f"        'NAME': 'mysite',\n        'USER': '{u}',\n        'PASSWORD': '{f.password()}',{M}\n"
        f"        'HOST': '{h}',\n        'PORT': '5432',\n    }}\n}}\n")
    add("Rails master.key", "store/config/master.key", f"{f.hex(32)}{M}\n")
    add("Rails secrets.yml", "store/config/secrets.yml",
        f"production:\n  secret_key_base: {f.hex(128)}{M}\n")
    add("Rails database.yml", "store/config/database.yml",
        "default: &default\n  adapter: postgresql\n  encoding: unicode\n  pool: 5\n\nproduction:\n  <<: *default\n"
        f"  database: store_production\n  host: {h}\n  username: {u}\n  password: {f.password()}{M}\n")
    add("Laravel config", "shop/config/database.php",
        "<?php\n\nreturn [\n    'connections' => [\n        'mysql' => [\n            'driver' => 'mysql',\n"
        f"            'host' => env('DB_HOST', '{h}'),\n            'database' => env('DB_DATABASE', 'shop'),\n"
        f"            'username' => env('DB_USERNAME', '{u}'),\n            'password' => env('DB_PASSWORD', '{f.password()}'),{M}\n"
        "        ],\n    ],\n];\n")
    add("Flask app", "portal/app.py",
        "from flask import Flask\n\napp = Flask(__name__)\n"
        f"app.secret_key = '{f.alnum(32)}'{M}\napp.config['SQLALCHEMY_TRACK_MODIFICATIONS'] = False\n")
    add("Express app", "backend/server.js",
        "const express = require('express');\nconst session = require('express-session');\n\nconst app = express();\n"
        f"app.use(session({{\n  secret: '{f.alnum(32)}',{M}\n  resave: false,\n  saveUninitialized: true,\n}}));\n")
    add("Spring properties", "orders/src/main/resources/application-prod.properties",
        f"server.port=8080\nspring.datasource.url=jdbc:mysql://{h}:3306/orders\nspring.datasource.username={u}\n"
        f"spring.datasource.password={f.password()}{M}\nspring.jpa.hibernate.ddl-auto=validate\n")
    add("Spring YAML", "orders/src/main/resources/application.yml",
        f"spring:\n  datasource:\n    url: jdbc:postgresql://{h}:5432/orders\n    username: {u}\n    password: {f.password()}{M}\n"
        f"  mail:\n    host: smtp.acme-co.net\n    username: noreply@acme-co.net\n    password: \"{f.password()}\"{M}\n")
    add("terraform.tfstate", "infra/terraform.tfstate",
        "{\n  \"version\": 4,\n  \"terraform_version\": \"1.7.5\",\n  \"serial\": 12,\n  \"lineage\": \"3f1c2e7a-9b1d-4a5e-8c2f-6d7e8f9a0b1c\",\n"
        "  \"outputs\": {},\n  \"resources\": [\n    {\n      \"mode\": \"managed\",\n      \"type\": \"aws_db_instance\",\n"
        "      \"name\": \"orders\",\n      \"provider\": \"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\",\n"
        "      \"instances\": [\n        {\n          \"schema_version\": 2,\n          \"attributes\": {\n"
        f"            \"address\": \"orders.c9akciq32.eu-west-1.rds.amazonaws.com\",\n            \"db_name\": \"orders\",\n"
        f"            \"password\": \"{f.password()}\",{M}\n            \"username\": \"{u}\"\n          }},\n"
        "          \"sensitive_attributes\": [[{\"type\": \"get_attr\", \"value\": \"password\"}]]\n        }\n      ]\n    }\n  ]\n}\n")
    add("Ansible inventory", "ansible/inventory/hosts.ini",
        f"[web]\nweb1 ansible_host=10.0.4.11 ansible_user={u} ansible_password={f.password()}{M}\n"
        f"web2 ansible_host=10.0.4.12 ansible_user={u} ansible_ssh_pass={f.password()}{M}\n\n[web:vars]\nansible_port=22\n")
    add("Ansible group_vars", "ansible/group_vars/db.yml",
        f"ansible_user: {u}\nansible_become: true\nansible_become_pass: \"{f.password()}\"{M}\npostgres_version: 15\n")
    add("docker-compose", "deploy/docker-compose.yml",
        "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: shop\n"
        f"      POSTGRES_PASSWORD: {f.password()}{M}\n  cache:\n    image: redis:7\n"
        f"    command: redis-server --requirepass {f.password()}{M}\n")
    return out


def negatives(f):
    """(file type, path, text): templates, examples, documentation and code that hold no credential."""
    out = []
    add = lambda kind, path, text: out.append((kind, path, text))
    add(".netrc", "dotfiles/netrc.template", "machine api.example.com login USERNAME password ${API_TOKEN}\n")
    add(".netrc", "docs/netrc.md", "Put this in `~/.netrc`:\n\n    machine example.com login user password password\n")
    add(".pgpass", "home/carol/.pgpass", "# hostname:port:database:username:password\n")
    add(".git-credentials", "docs/git-credentials.md", "The store looks like `https://user:password@github.com`.\n")
    add(".npmrc", "lib/.npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\nsave-exact=true\n")
    add(".yarnrc.yml", "lib/.yarnrc.yml", "npmScopes:\n  acme:\n    npmAuthToken: \"${NPM_AUTH_TOKEN}\"\n")
    add(".pypirc", "docs/pypirc.example", "[pypi]\nusername = __token__\npassword = <your PyPI API token>\n")
    add("pip.conf", "ci/pip.conf", "[global]\nindex-url = https://pypi.org/simple\nextra-index-url = https://${PIP_USER}:${PIP_PASSWORD}@pypi.corp.internal/simple\n")
    add(".m2/settings.xml", "ci/settings.xml",
        "<settings>\n  <servers>\n    <server>\n      <id>releases</id>\n      <username>${env.MAVEN_USER}</username>\n"
        "      <password>${env.MAVEN_PASSWORD}</password>\n    </server>\n  </servers>\n</settings>\n")
    add("NuGet.Config", "tools/NuGet.Config",
        "<configuration>\n  <packageSourceCredentials>\n    <Feed>\n      <add key=\"Username\" value=\"az\" />\n"
        "      <add key=\"ClearTextPassword\" value=\"%FEED_PAT%\" />\n    </Feed>\n  </packageSourceCredentials>\n</configuration>\n")
    add("docker config.json", "home/carol/.docker/config.json",
        "{\n\t\"auths\": {\n\t\t\"https://index.docker.io/v1/\": {}\n\t},\n\t\"credsStore\": \"desktop\"\n}\n")
    add("kubeconfig", "home/carol/.kube/config",
        "apiVersion: v1\nkind: Config\nusers:\n- name: eks\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
        "      command: aws\n      args: [\"eks\", \"get-token\", \"--cluster-name\", \"prod\"]\n")
    add(".env (Laravel)", "shop/.env.example",
        "APP_NAME=Laravel\nAPP_ENV=local\nAPP_KEY=\nAPP_DEBUG=true\n\nDB_CONNECTION=mysql\nDB_HOST=127.0.0.1\nDB_PORT=3306\n"
        "DB_DATABASE=laravel\nDB_USERNAME=root\nDB_PASSWORD=\n\nMAIL_PASSWORD=null\n")
    add(".env (Django)", "api/.env.sample",
        "SECRET_KEY=change-me-to-a-long-random-string\nDATABASE_URL=postgres://user:password@localhost:5432/api\nREDIS_PASSWORD=\n")
    add(".env (Node)", "backend/.env.template",
        "SESSION_SECRET=${SESSION_SECRET}\nJWT_SECRET=your-jwt-secret-here\nMONGO_PASSWORD=changeme\nDB_PASSWORD=<password>\n")
    add("Sublime SFTP", "site2/sftp-config.json",
        "{\n    \"type\": \"sftp\",\n    \"host\": \"example.com\",\n    \"user\": \"username\",\n    //\"password\": \"password\",\n"
        "    \"port\": \"22\",\n    \"remote_path\": \"/example/path/\"\n}\n")
    add("VS Code sftp.json", "site2/.vscode/sftp.json",
        "{\n    \"name\": \"My Server\",\n    \"host\": \"localhost\",\n    \"protocol\": \"sftp\",\n    \"username\": \"username\",\n"
        "    \"privateKeyPath\": \"~/.ssh/id_ed25519\",\n    \"remotePath\": \"/\"\n}\n")
    add("FileZilla sitemanager.xml", "docs/filezilla-sitemanager.xml",
        "<FileZilla3>\n\t<Servers>\n\t\t<Server>\n\t\t\t<Host>ftp.example.com</Host>\n\t\t\t<User>anonymous</User>\n"
        "\t\t\t<Logontype>0</Logontype>\n\t\t</Server>\n\t</Servers>\n</FileZilla3>\n")
    add("WinSCP.ini", "tools/WinSCP.ini", "[Sessions\\user@example.com]\nHostName=example.com\nUserName=user\nFSProtocol=2\n")
    add(".msmtprc", "dotfiles/msmtprc",
        "account gmail\nhost smtp.gmail.com\nport 587\nuser me@example.com\npasswordeval \"pass show mail/gmail\"\n")
    add(".muttrc", "dotfiles/muttrc", "set imap_user = \"me@example.com\"\nset imap_pass = \"`pass show mail`\"\n")
    add("SQL dump (hashes)", "db/schema.sql",
        "CREATE TABLE users (\n  id serial PRIMARY KEY,\n  email text NOT NULL,\n  password_hash text NOT NULL -- bcrypt, e.g. $2y$10$...\n);\n")
    add("SQL (CREATE USER)", "docs/database-setup.md",
        "Create the user:\n\n```sql\nCREATE USER 'app'@'%' IDENTIFIED BY 'password';\nCREATE ROLE app WITH LOGIN PASSWORD '<password>';\n```\n")
    add("wp-config.php", "www/wp-config-sample.php",
        "<?php\ndefine( 'DB_NAME', 'database_name_here' );\ndefine( 'DB_USER', 'username_here' );\n"
        "define( 'DB_PASSWORD', 'password_here' );\ndefine( 'DB_HOST', 'localhost' );\n"
        "define( 'AUTH_KEY',         'put your unique phrase here' );\ndefine( 'SECURE_AUTH_KEY',  'put your unique phrase here' );\n")
    add("Django settings", "mysite2/mysite2/settings.py",
        "import os\n\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n\nDATABASES = {\n    'default': {\n"
        "        'ENGINE': 'django.db.backends.postgresql',\n        'PASSWORD': os.environ.get('DB_PASSWORD', ''),\n    }\n}\n")
    add("Rails database.yml", "store2/config/database.yml",
        "production:\n  adapter: postgresql\n  database: store\n  username: store\n  password: <%= ENV[\"STORE_DATABASE_PASSWORD\"] %>\n")
    add("Laravel config", "shop2/config/database.php",
        "<?php\nreturn [\n    'mysql' => [\n        'host' => env('DB_HOST', '127.0.0.1'),\n        'password' => env('DB_PASSWORD', ''),\n    ],\n];\n")
    add("Flask app", "portal2/app.py",
        "import os\nfrom flask import Flask\n\napp = Flask(__name__)\napp.secret_key = os.urandom(24)\n"
        "app.config['SECRET_KEY'] = os.environ.get('SECRET_KEY')\n")
    add("Express app", "backend2/server.js",
        "app.use(session({\n  secret: 'keyboard cat',\n  resave: false,\n}));\napp.use(session({ secret: process.env.SESSION_SECRET }));\n")
    add("Spring properties", "orders2/src/main/resources/application.properties",
        "spring.datasource.url=jdbc:postgresql://localhost:5432/orders\nspring.datasource.username=${DB_USER}\n"
        "spring.datasource.password=${DB_PASSWORD}\n")
    add("terraform.tfstate", "infra2/terraform.tfstate",
        "{\n  \"version\": 4,\n  \"resources\": [{\"type\": \"aws_s3_bucket\", \"instances\": [{\"attributes\": {\n"
        "    \"bucket\": \"acme-assets\",\n    \"secret_arn\": \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:x\"\n  }}]}]\n}\n")
    add("Ansible group_vars", "ansible/group_vars/all.yml",
        "ansible_user: deploy\nansible_become_pass: \"{{ vault_become_pass }}\"\nansible_password: \"{{ lookup('env', 'SSH_PASS') }}\"\n")
    add("docker-compose", "deploy/docker-compose.dev.yml",
        "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n"
        "      MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD}\n")
    add("code", "app/src/db.py",
        "import os\n\ndef connect():\n    password = os.getenv(\"DB_PASSWORD\")\n    user = config.db.user\n"
        "    return psycopg.connect(host=config.db.host, user=user, password=password)\n")
    add("code", "app/src/auth.ts",
        "const password = process.env.ADMIN_PASSWORD;\nexport const PASSWORD_MIN_LENGTH = 12;\n"
        "function check(password: string) { return bcrypt.compare(password, user.passwordHash); }\n")
    add("code", "app/src/Login.java",
        "String password = System.getenv(\"APP_PASSWORD\");\nString passwordField = \"password\";\n"
        "if (password == null) { password = props.getProperty(\"db.password\"); }\n")
    add("code", "app/templates/login.html",
        "<form>\n  <input type=\"password\" name=\"password\" placeholder=\"Password\">\n</form>\n")
    add("tests", "app/tests/test_login.py",
        "def test_login(client):\n    client.post('/login', data={'username': 'alice', 'password': 'password'})\n"
        "    user = User(username='bob', password='changeme')\n")
    add("docs", "README.md",
        "## Configuration\n\nSet `DB_PASSWORD` in `.env`:\n\n    DB_PASSWORD=<your database password>\n\n"
        "Connect with `mysql -u root -p` and type the password when asked.\n")
    return out


def resolve(text):
    """(text without marks, [1-based credential lines])."""
    lines = text.split("\n")
    marked = []
    for i, line in enumerate(lines):
        if MARK in line:
            marked.append(i + 1)
            lines[i] = line.replace(MARK, "")
    return "\n".join(lines), marked


def generate(root, seed):
    f = Fakes(seed)
    files = []
    for kind, path, text in positives(f):
        clean, marked = resolve(text)
        files.append(dict(kind=kind, path="pos/" + path, lines=marked, text=clean))
    for kind, path, text in negatives(f):
        files.append(dict(kind=kind, path="neg/" + path, lines=[], text=text))
    for item in files:
        full = os.path.join(root, item["path"])
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8", newline="") as out:
            out.write(item.pop("text"))
    return files


def score(files, findings):
    """Per file type: [found, total, false positives, credential files, clean files], and the misses and FPs."""
    by_path = collections.defaultdict(list)
    for x in findings:
        p = x["path"][2:] if x["path"].startswith("./") else x["path"]
        by_path[p].append(x)
    table = collections.OrderedDict()
    misses, fps = [], []
    for item in files:
        row = table.setdefault(item["kind"], [0, 0, 0, 0, 0])
        row[3 if item["lines"] else 4] += 1
        found_lines = {x["line"] for x in by_path.get(item["path"], [])}
        for line in item["lines"]:
            row[1] += 1
            if line in found_lines:
                row[0] += 1
            else:
                misses.append(f"{item['path']}:{line}")
        for x in by_path.get(item["path"], []):
            if x["line"] not in item["lines"]:
                row[2] += 1
                fps.append(f"{item['path']}:{x['line']} {x['rule_id']}")
    return table, misses, fps


def report(table, misses, fps, verbose):
    print(f"{'file type':<28} {'found/total':>11} {'false pos.':>10}  files (credential/clean)")
    found = total = fp = 0
    for kind, (fo, to, f, pos, neg) in table.items():
        print(f"{kind:<28} {f'{fo}/{to}':>11} {f:>10}  {pos}/{neg}")
        found, total, fp = found + fo, total + to, fp + f
    recall = found / total if total else 1.0
    print(f"{'total':<28} {f'{found}/{total}':>11} {fp:>10}  {sum(r[3] for r in table.values())}/{sum(r[4] for r in table.values())}")
    print(f"recall {recall:.3f} (goal {RECALL_GOAL}), false positives {fp} (goal 0)")
    if verbose or fps:
        for m in fps:
            print("false positive: " + m)
    if verbose:
        for m in misses:
            print("missed: " + m)
    return recall >= RECALL_GOAL and fp == 0


def self_test(seed):
    with tempfile.TemporaryDirectory() as root:
        files = generate(root, seed)
    creds = [x for x in files if x["lines"]]
    assert len(creds) >= 40, f"only {len(creds)} credential files"
    perfect = [dict(path=x["path"], line=l, rule_id="r") for x in creds for l in x["lines"]]
    table, misses, fps = score(files, perfect)
    assert not misses and not fps
    planted = perfect[1:] + [dict(path=files[-1]["path"], line=1, rule_id="r")]
    table, misses, fps = score(files, planted)
    assert len(misses) == 1 and len(fps) == 1, (misses, fps)
    print(f"self-test: ok ({len(creds)} credential files, {sum(len(x['lines']) for x in creds)} credential lines, "
          f"{len(files) - len(creds)} clean files)")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.environ.get("KEYWARDEN_BIN", ".build/debug/keywarden"))
    ap.add_argument("--seed", type=int)
    ap.add_argument("--keep")
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"credential-files: seed {seed}")
    if args.self_test:
        return self_test(seed)
    with workdir(args.keep) as root:
        files = generate(root, seed)
        run = subprocess.run([os.path.abspath(args.bin), "scan", "--no-git", "--format", "json", "."], cwd=root,
                             capture_output=True, text=True)
    if run.returncode not in (0, 1):
        print(f"credential-files: the scan failed (exit {run.returncode}): {run.stderr}", file=sys.stderr)
        return 2
    table, misses, fps = score(files, json.loads(run.stdout)["findings"])
    ok = report(table, misses, fps, args.verbose)
    print(f"credential-files: {'PASS' if ok else 'FAIL'} (goal: recall >= {RECALL_GOAL}, 0 false positives; seed {seed})")
    return 0 if ok or args.report_only else 1


@contextlib.contextmanager
def workdir(keep):
    """A fresh directory for the files: `keep` (emptied first, left in place) or a temporary one."""
    if keep:
        shutil.rmtree(keep, ignore_errors=True)
        os.makedirs(keep)
        yield keep
    else:
        with tempfile.TemporaryDirectory(prefix="keywarden-credfiles-") as root:
            yield root

if __name__ == "__main__":
    sys.exit(main())
