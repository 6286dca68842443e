#!/usr/bin/python3
"""A real IMAP server for tests/fetch_test.cpp: Dovecot 2.3, unprivileged where it can be (as root,
its mail processes run as "nobody"), on 127.0.0.1 high ports, in the temporary directory given as
the first argument, with a test CA's certificate for localhost and 127.0.0.1.

The mailbox of user "reports" (password in DIR/password) holds the report messages of
testdata/mail in INBOX, two in "TLS Reports/2026" (a folder below another: Dovecot's separator is
"."), one in "Rapports été" (a non-ASCII name), and an empty "Archive".

Prints one JSON line when the server answers: ports, CA file, password file, user, the server-side
Maildir. Reads commands from standard input, one per line: "add FOLDER FILE" delivers FILE to
FOLDER; "renumber" changes INBOX's UIDVALIDITY; "stop" (or the end of input) stops the server.
"""
import datetime
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
import ipaddress

DIR = sys.argv[1]
TESTDATA = sys.argv[2]
NOW = datetime.datetime.now(datetime.timezone.utc)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_certificates():
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tlsrpt IMAP test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(NOW - datetime.timedelta(days=1))
          .not_valid_after(NOW + datetime.timedelta(days=365))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - datetime.timedelta(days=1))
            .not_valid_after(NOW + datetime.timedelta(days=90))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = {}
    for name, data in [("ca.pem", ca.public_bytes(serialization.Encoding.PEM)),
                       ("cert.pem", leaf.public_bytes(serialization.Encoding.PEM)),
                       ("key.pem", key.private_bytes(serialization.Encoding.PEM,
                                                     serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()))]:
        paths[name] = os.path.join(DIR, name)
        with open(paths[name], "wb") as f:
            f.write(data)
    return paths


counter = [0]


def deliver(maildir, folder, source):
    """Writes `source` into the Maildir++ folder (INBOX, or ".A.B" for A/B) of the user."""
    path = maildir if folder == "INBOX" else os.path.join(maildir, "." + folder.replace("/", "."))
    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(path, sub), exist_ok=True)
    counter[0] += 1
    target = os.path.join(path, "new", f"{int(time.time())}.M{counter[0]}P{os.getpid()}.test")
    shutil.copyfile(source, target)
    return path


def main():
    certs = write_certificates()
    is_root = os.geteuid() == 0
    mail_user = pwd.getpwnam("nobody") if is_root else pwd.getpwuid(os.geteuid())
    service_user = "dovecot" if is_root else mail_user.pw_name
    login_user = "dovenull" if is_root else mail_user.pw_name
    home = os.path.join(DIR, "home", "reports")
    maildir = os.path.join(home, "Maildir")
    mail = os.path.join(TESTDATA, "mail")
    for name in ("google-report.eml", "microsoft-report.eml", "ordinary.eml",
                 "two-attachments.eml"):
        deliver(maildir, "INBOX", os.path.join(mail, name))
    deliver(maildir, "TLS Reports/2026", os.path.join(mail, "google-report.eml"))
    deliver(maildir, "TLS Reports/2026", os.path.join(mail, "whole-body-qp.eml"))
    # Maildir++ keeps folder names in modified UTF-7, as IMAP does.
    deliver(maildir, "Rapports &AOk-t&AOk-", os.path.join(mail, "microsoft-report.eml"))
    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(maildir, ".Archive", sub), exist_ok=True)
    password = "s3cret-" + os.urandom(4).hex()
    with open(os.path.join(DIR, "password"), "w") as f:
        f.write(password + "\n")
    with open(os.path.join(DIR, "users"), "w") as f:
        f.write(f"reports:{{PLAIN}}{password}\n")
    imaps, imap = free_port(), free_port()
    state = os.path.join(DIR, "state")
    base = os.path.join(DIR, "run")
    os.makedirs(state, exist_ok=True)
    os.makedirs(base, exist_ok=True)
    with open(os.path.join(DIR, "dovecot.conf"), "w") as f:
        f.write(f"""protocols = imap
listen = 127.0.0.1
base_dir = {base}
state_dir = {state}
log_path = {DIR}/dovecot.log
info_log_path = {DIR}/dovecot.log
default_internal_user = {service_user}
default_internal_group = {pwd.getpwnam(service_user).pw_name if not is_root else 'dovecot'}
default_login_user = {login_user}
first_valid_uid = {mail_user.pw_uid}
ssl = required
ssl_cert = <{certs['cert.pem']}
ssl_key = <{certs['key.pem']}
auth_mechanisms = plain login
auth_failure_delay = 0
disable_plaintext_auth = no
passdb {{
  driver = passwd-file
  args = {DIR}/users
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={DIR}/home/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = .
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
""")
    if is_root:
        subprocess.run(["chown", "-R", f"{mail_user.pw_uid}:{mail_user.pw_gid}",
                        os.path.join(DIR, "home")], check=True)
        os.chmod(DIR, 0o755)
    server = subprocess.Popen(["dovecot", "-F", "-c", os.path.join(DIR, "dovecot.conf")],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=open(os.path.join(DIR, "dovecot.err"), "w"))
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", imaps), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    else:
        sys.exit("dovecot did not start: see " + os.path.join(DIR, "dovecot.log"))
    print(json.dumps({"imaps_port": imaps, "imap_port": imap, "ca_file": certs["ca.pem"],
                      "password_file": os.path.join(DIR, "password"), "user": "reports",
                      "maildir": maildir}), flush=True)
    for line in sys.stdin:
        words = line.split(maxsplit=2)
        if not words or words[0] == "stop":
            break
        if words[0] == "add":
            folder_path = deliver(maildir, words[1], words[2].strip())
            if is_root:
                subprocess.run(["chown", "-R", f"{mail_user.pw_uid}:{mail_user.pw_gid}",
                                folder_path], check=True)
        elif words[0] == "renumber":
            # Dovecot keeps the UID list in dovecot-uidlist: removing it (and the index) makes it
            # number the folder anew, with a new UIDVALIDITY.
            for name in os.listdir(maildir):
                if name.startswith("dovecot"):
                    os.remove(os.path.join(maildir, name))
        print("ok", flush=True)
    server.terminate()
    server.wait(10)


main()
