#!/usr/bin/python3
"""Real servers for the live-check test (tests/live_test.cpp), all on 127.0.0.1, unprivileged, in
the temporary directory given as the first argument:

- unbound serving test zones (two of them DNSSEC-signed with ldns-signzone, one with a TLSA
  record whose signature is broken so that it validates as bogus);
- an HTTPS policy host (Python's http.server over TLS) routing by Host header, with good, redirect,
  text/html and 100 MB policies, and one with a certificate for the wrong name;
- SMTP servers (aiosmtpd) offering STARTTLS with good, expired, wrong-name and self-signed
  certificates, one without STARTTLS; a server that sends its banner a byte a second and one that
  answers STARTTLS with garbage.

When everything listens, prints one JSON line: the resolver address, the trust anchor and CA
files, the --connect-to entries. Stops when its standard input closes, or after 300 s.
"""
import asyncio
import datetime
import gzip
import hashlib
import http.server
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time

from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DIR = sys.argv[1]
NOW = datetime.datetime.now(datetime.timezone.utc)
DAY = datetime.timedelta(days=1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def key_pair():
    return ec.generate_private_key(ec.SECP256R1())


def certificate(name, key, issuer_name, issuer_key, sans, not_before, not_after, ca=False):
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
               .issuer_name(issuer_name)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before)
               .not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def write_pair(stem, cert, key):
    cert_file = os.path.join(DIR, stem + ".pem")
    key_file = os.path.join(DIR, stem + ".key")
    with open(cert_file, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_file, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return cert_file, key_file


ca_key = key_pair()
ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tlsrpt test CA")])
ca_cert = certificate("tlsrpt test CA", ca_key, ca_name, ca_key, [], NOW - DAY, NOW + 3650 * DAY, ca=True)
ca_file, _ = write_pair("ca", ca_cert, ca_key)


def leaf(stem, name, sans, not_before=NOW - DAY, not_after=NOW + 90 * DAY, self_signed=False):
    key = key_pair()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = certificate(name, key, subject if self_signed else ca_name, key if self_signed else ca_key,
                       sans, not_before, not_after)
    cert_file, key_file = write_pair(stem, cert, key)
    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return cert_file, key_file, hashlib.sha256(spki).hexdigest()


POLICY_DOMAINS = ["good.example", "broken.example", "html.example", "huge.example",
                  "redirect.example", "slow.example", "hostile.example"]
certs = {
    "policy": leaf("policy", "mta-sts", ["mta-sts." + d for d in POLICY_DOMAINS]),
    "policy-wrong": leaf("policy-wrong", "other.example", ["other.example"]),
    "good": leaf("good", "mx.good.example",
                 ["mx.good.example", "mx6.good.example", "mx.slow.example", "mx.html.example"]),
    "expired": leaf("expired", "mx1.broken.example", ["mx1.broken.example"],
                    NOW - 400 * DAY, NOW - 30 * DAY),
    "expiring": leaf("expiring", "mx2.good.example", ["mx2.good.example"], NOW - 80 * DAY,
                     NOW + 5 * DAY + datetime.timedelta(hours=12)),
    "wrong-name": leaf("wrong-name", "other.example", ["other.example"]),
    "self-signed": leaf("self-signed", "x.y.mail.broken.example", ["x.y.mail.broken.example"],
                        self_signed=True),
}

# --- HTTPS policy host -------------------------------------------------------------------
POLICIES = {
    "good.example": "version: STSv1\r\nmode: testing\r\nmx: mx.good.example\r\nmx: mx2.good.example\r\nmx: mx6.good.example\r\nmax_age: 604800\r\n",
    "broken.example": ("version: STSv1\nmode: testing\nmx: mx1.broken.example\nmx: *.mail.broken.example\n"
                       "mx: nostarttls.broken.example\nmax_age: 86400\nextension_key: kept\n"),
    "html.example": "version: STSv1\nmode: enforce\nmx: mx.html.example\nmax_age: 3600\n",
    "slow.example": "version: STSv1\nmode: testing\nmx: *.slow.example\nmax_age: 604800\n",
}


class PolicyHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        domain = host[len("mta-sts."):] if host.startswith("mta-sts.") else host
        if self.path != "/.well-known/mta-sts.txt":
            self.send_error(404)
        elif domain == "redirect.example":
            self.send_response(301)
            self.send_header("Location", "https://mta-sts.good.example/.well-known/mta-sts.txt")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif domain == "huge.example":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(100 * 1024 * 1024))
            self.end_headers()
            chunk = b"mx: a.huge.example\n" * 3000
            try:
                for _ in range(100 * 1024 * 1024 // len(chunk)):
                    self.wfile.write(chunk)
            except OSError:
                pass
        elif domain == "hostile.example":  # a gzip body, not a policy
            body = gzip.compress(b"version: STSv1\nmode: enforce\n" * 100)
            self.send_response(200)
            self.send_header("Content-Type", "application/gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif domain in POLICIES:
            body = POLICIES[domain].encode()
            self.send_response(200)
            self.send_header("Content-Type",
                             "text/html" if domain == "html.example" else "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)


def https_server(cert):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PolicyHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert[0], cert[1])
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


# --- SMTP ---------------------------------------------------------------------------------
class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def smtp_server(cert, host="127.0.0.1"):
    port = free_port()
    kwargs = {}
    if cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert[0], cert[1])
        kwargs = {"tls_context": context, "require_starttls": False}
    controller = Controller(Sink(), hostname=host, port=port, server_kwargs=kwargs,
                            ready_timeout=10)
    controller.start()
    return port, controller


def raw_server(handler):
    """A TCP server whose connections `handler(connection)` serves, one thread each."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def accept():
        while True:
            connection, _ = listener.accept()
            threading.Thread(target=handler, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


def slow_banner(connection):
    try:
        for byte in b"220 slow.example ESMTP a byte a second\r\n":
            connection.send(bytes([byte]))
            time.sleep(1)
    except OSError:
        pass


def endless_line(connection):
    try:
        connection.sendall(b"220 ")
        for _ in range(10000):
            connection.sendall(b"a" * 1024)
    except OSError:
        pass
    finally:
        connection.close()


def garbage_tls(connection):
    try:
        connection.sendall(b"220 garbage.example ESMTP\r\n")
        connection.recv(1024)
        connection.sendall(b"250-garbage.example\r\n250 STARTTLS\r\n")
        connection.recv(1024)
        connection.sendall(b"220 go ahead\r\n")
        connection.recv(4096)
        connection.sendall(os.urandom(3000))
        time.sleep(2)
    except OSError:
        pass
    finally:
        connection.close()


# --- DNS ----------------------------------------------------------------------------------
def zone(name, records):
    text = f"$ORIGIN {name}.\n$TTL 300\n@ SOA ns.{name}. hostmaster.{name}. 1 3600 600 86400 300\n@ NS ns.{name}.\nns A 127.0.0.1\n"
    return text + "\n".join(records) + "\n"


def sign(name, text):
    path = os.path.join(DIR, name)
    with open(path, "w") as f:
        f.write(text)
    zsk = subprocess.run(["ldns-keygen", "-a", "ECDSAP256SHA256", name], cwd=DIR, check=True,
                         capture_output=True, text=True).stdout.strip()
    ksk = subprocess.run(["ldns-keygen", "-a", "ECDSAP256SHA256", "-k", name], cwd=DIR, check=True,
                         capture_output=True, text=True).stdout.strip()
    subprocess.run(["ldns-signzone", "-n", name, zsk, ksk], cwd=DIR, check=True,
                   capture_output=True)
    with open(os.path.join(DIR, ksk + ".key")) as f:
        anchor = f.read()
    return path + ".signed", anchor


def break_signature(signed, owner):
    """Flips a byte of the signature over `owner`'s TLSA records: they validate as bogus."""
    lines = open(signed).read().splitlines()
    for i, line in enumerate(lines):
        fields = line.split()
        if fields and fields[0] == owner and "RRSIG" in fields and "TLSA" in fields:
            signature = fields[-1]
            fields[-1] = ("B" if signature[0] != "B" else "C") + signature[1:]
            lines[i] = "\t".join(fields)
    with open(signed, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    policy_port = https_server(certs["policy"])
    policy_wrong_port = https_server(certs["policy-wrong"])
    smtp = {name: smtp_server(certs[name]) for name in
            ["good", "expired", "expiring", "wrong-name", "self-signed"]}
    smtp["no-starttls"] = smtp_server(None)
    try:  # an MX with only an IPv6 address, where the machine has IPv6 on loopback
        smtp["good-ipv6"] = smtp_server(certs["good"], "::1")
    except Exception:
        pass
    ipv6 = "good-ipv6" in smtp
    slow_port = raw_server(slow_banner)
    garbage_port = raw_server(garbage_tls)
    endless_port = raw_server(endless_line)
    closed_port = free_port()  # nothing listens there

    good_hash = certs["good"][2]
    zones = {
        "good.example": zone("good.example", [
            "@ MX 10 mx.good.example.", "@ MX 20 mx2.good.example.",
            "mx A 127.0.0.1", "mx2 A 127.0.0.1"] +
            (["@ MX 30 mx6.good.example.", "mx6 AAAA ::1"] if ipv6 else []) + [
            f"_25._tcp.mx TLSA 3 1 1 {good_hash}",
            '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@good.example"',
            '_mta-sts TXT "v=STSv1; id=20261130T000000"',
            "mta-sts A 127.0.0.1"]),
        "dane.example": zone("dane.example", [
            "@ MX 10 mx.dane.example.", "@ MX 20 mx2.dane.example.", "@ MX 30 mx3.dane.example.",
            "mx A 127.0.0.1", "mx2 A 127.0.0.1", "mx3 A 127.0.0.1",
            f"_25._tcp.mx TLSA 3 1 1 {'00' * 32}",
            f"_25._tcp.mx2 TLSA 3 1 1 {good_hash}",
            f"_25._tcp.mx3 TLSA 1 1 1 {good_hash}",
            '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@dane.example"']),
        "broken.example": zone("broken.example", [
            "@ MX 10 mx1.broken.example.", "@ MX 20 a.mail.broken.example.",
            "@ MX 30 x.y.mail.broken.example.", "@ MX 40 nostarttls.broken.example.",
            "@ MX 50 garbage.broken.example.", "@ MX 60 alias.broken.example.",
            "alias CNAME mx1.broken.example.",
            "mx1 A 127.0.0.1", "a.mail A 127.0.0.1", "x.y.mail A 127.0.0.1",
            "nostarttls A 127.0.0.1", "garbage A 127.0.0.1",
            '_smtp._tls TXT "v=TLSRPTv1; " "rua=mailto:tlsrpt@broken.example,https://r.broken.example/x"',
            '_mta-sts TXT "v=STSv1; id=b1"', '_mta-sts TXT "something else"',
            "mta-sts A 127.0.0.1"]),
        "html.example": zone("html.example", [
            "@ MX 10 mx.html.example.", "mx A 127.0.0.1",
            '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:a@html.example"',
            '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:b@html.example"',
            '_mta-sts TXT "v=STSv1; id=h1"', "mta-sts A 127.0.0.1"]),
        "huge.example": zone("huge.example", [
            "@ MX 0 .", '_mta-sts TXT "v=STSv1; id=h2"', "mta-sts A 127.0.0.1",
            '_smtp._tls TXT "v=TLSRPTv1; rua=ftp://x"']),
        "redirect.example": zone("redirect.example", [
            '_mta-sts TXT "v=STSv1; id=r!"', "mta-sts A 127.0.0.1"]),
        "wrongcert.example": zone("wrongcert.example", [
            '_mta-sts TXT "v=STSv1; id=w1"', "mta-sts A 127.0.0.1"]),
        "none.example": zone("none.example", []),
        # 61 KB of TXT and 1,000 MX records: answers truncated over UDP, read again over TCP.
        "hostile.example": zone("hostile.example", [
            "_smtp._tls TXT " + " ".join(['"v=TLSRPTv1; rua=mailto:t@hostile.example;"'] +
                                         ['"' + "x" * 250 + '"'] * 240),
            '_mta-sts TXT "v=STSv1; id=x1"', "mta-sts A 127.0.0.1",
            "@ MX 0 endless.hostile.example.", "endless A 127.0.0.1"] +
            [f"@ MX 10 mx{i}.hostile.example." for i in range(1000)]),
        "slow.example": zone("slow.example", [
            "@ MX 10 mx.slow.example.", "@ MX 20 closed.slow.example.",
            "mx A 127.0.0.1", "closed A 127.0.0.1",
            '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:t@slow.example"',
            '_mta-sts TXT "v=STSv1; id=s1"', "mta-sts A 127.0.0.1"]),
    }
    anchors = []
    zone_files = {}
    for name, text in zones.items():
        if name in ("good.example", "dane.example"):
            signed, anchor = sign(name, text)
            anchors.append(anchor)
            if name == "dane.example":
                break_signature(signed, "_25._tcp.mx2.dane.example.")
            zone_files[name] = signed
        else:
            path = os.path.join(DIR, name)
            with open(path, "w") as f:
                f.write(text)
            zone_files[name] = path
    anchor_file = os.path.join(DIR, "anchors.key")
    with open(anchor_file, "w") as f:
        f.write("".join(anchors))

    dns_port = free_port()
    config = os.path.join(DIR, "unbound.conf")
    with open(config, "w") as f:
        f.write(f"""server:
  interface: 127.0.0.1@{dns_port}
  port: {dns_port}
  username: ""
  chroot: ""
  directory: "{DIR}"
  pidfile: ""
  use-syslog: no
  logfile: "{DIR}/unbound.log"
  verbosity: 1
  num-threads: 1
  so-reuseport: no
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  local-zone: "example." nodefault
""")
        for name, path in zone_files.items():
            f.write(f"""auth-zone:
  name: "{name}"
  zonefile: "{path}"
  for-upstream: yes
  for-downstream: yes
  fallback-enabled: no
""")
    unbound = subprocess.Popen(["unbound", "-d", "-c", config], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=open(os.path.join(DIR, "unbound.err"), "w"))
    # Ready when it answers.
    for _ in range(100):
        result = subprocess.run(["drill", "-p", str(dns_port), "good.example", "SOA", "@127.0.0.1"],
                                capture_output=True, text=True)
        if "NOERROR" in result.stdout:
            break
        time.sleep(0.1)
    else:
        sys.exit("unbound did not answer: see " + os.path.join(DIR, "unbound.log"))

    def to(host, port):
        return f"{host}:25:127.0.0.1:{port}"

    connect_to = [
        f"mta-sts.wrongcert.example:443:127.0.0.1:{policy_wrong_port}",
        f":443:127.0.0.1:{policy_port}",
        to("mx.good.example", smtp["good"][0]), to("mx2.good.example", smtp["expiring"][0]),
        to("mx.dane.example", smtp["good"][0]), to("mx2.dane.example", smtp["good"][0]),
        to("mx3.dane.example", smtp["good"][0]),
        to("mx1.broken.example", smtp["expired"][0]),
        to("a.mail.broken.example", smtp["wrong-name"][0]),
        to("x.y.mail.broken.example", smtp["self-signed"][0]),
        to("nostarttls.broken.example", smtp["no-starttls"][0]),
        to("garbage.broken.example", garbage_port),
        to("alias.broken.example", smtp["expired"][0]),
        to("endless.hostile.example", endless_port),
        to("mx.html.example", smtp["good"][0]),
        to("mx.slow.example", slow_port), to("closed.slow.example", closed_port),
    ]
    if ipv6:
        connect_to.append(f"mx6.good.example:25:[::1]:{smtp['good-ipv6'][0]}")
    print(json.dumps({"resolver": f"127.0.0.1@{dns_port}", "trust_anchor": anchor_file,
                      "ca_file": ca_file, "connect_to": connect_to, "ipv6": ipv6}), flush=True)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait(300)
    unbound.terminate()
    unbound.wait(5)
    for _, controller in smtp.values():
        controller.stop()
    os._exit(0)


main()
