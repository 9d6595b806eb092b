#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TLS-record interop matrix: sspi_kmod's Schannel package against real peers.

Every combination of TLS version (1.2, 1.3), cipher (AES-128-GCM,
AES-256-GCM, ChaCha20-Poly1305), direction (module seals -> peer reads;
peer sends -> module unseals) and peer is one check, on its own
connection, printed as one line ("ok PEER VERSION CIPHER DIRECTION" or
"not ok ... # why"), followed by a summary.  Exit status 1 if any failed.

Peers:

openssl  A real TLS connection on 127.0.0.1.  The peer is OpenSSL (python's
         ssl, in a subprocess so OPENSSL_CONF can pin the TLS 1.3 suite).
         Our side does the handshake with OpenSSL over memory BIOs, writing
         an NSS key log; then the record layer moves to the module: one
         context imported from the key log (sspictl ctx import tls --keylog)
         seals/unseals the first record, a second one imported with keys
         this script derives from the same key log the second record and
         the close_notify exchange.
ktls     The kernel's TLS ULP on one end of a loopback TCP connection with
         random keys; the other end's bytes go through a module context
         holding the mirrored keys (module tx = kTLS rx).  Two records each
         way and a close_notify alert.

The module is driven through sspictl (--sspictl PATH, --ioctl for
/dev/sspi).  With --expect-driver REGEX, every context imported must report
crypto drivers matching REGEX (sspictl ctx show), or its check fails:
tests/vm/async_test.sh makes sure that the asynchronous drivers it forces
are the ones at work.  --fake-module replaces it by a record layer written here with
python3-cryptography, to develop the peers without the kernel side.
"""

import argparse
import hashlib
import hmac
import json
import os
import re
import select
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import traceback

PYTHON = '/usr/bin/python3'
SELF = os.path.abspath(__file__)

VERSIONS = ('1.2', '1.3')
CIPHERS = ('aes-128-gcm', 'aes-256-gcm', 'chacha20-poly1305')
DIRECTIONS = ('module->peer', 'peer->module')
PEERS = ('openssl', 'ktls')

KEY_LEN = {'aes-128-gcm': 16, 'aes-256-gcm': 32, 'chacha20-poly1305': 32}
HASH = {'aes-128-gcm': hashlib.sha256, 'aes-256-gcm': hashlib.sha384,
        'chacha20-poly1305': hashlib.sha256}
SUITE_12 = {'aes-128-gcm': 'ECDHE-ECDSA-AES128-GCM-SHA256',
            'aes-256-gcm': 'ECDHE-ECDSA-AES256-GCM-SHA384',
            'chacha20-poly1305': 'ECDHE-ECDSA-CHACHA20-POLY1305'}
SUITE_13 = {'aes-128-gcm': 'TLS_AES_128_GCM_SHA256',
            'aes-256-gcm': 'TLS_AES_256_GCM_SHA384',
            'chacha20-poly1305': 'TLS_CHACHA20_POLY1305_SHA256'}

CT_ALERT, CT_HANDSHAKE, CT_DATA = 21, 22, 23
CLOSE_NOTIFY = b'\x01\x00'
QOP_OOB = 0x40000000        # SSPI_SECQOP_WRAP_OOB_DATA: seal an alert
MAX_RECORD = 16384          # the largest plaintext a record holds

# <linux/tls.h>
SOL_TLS, TLS_TX, TLS_RX = 282, 1, 2
TLS_SET_RECORD_TYPE, TLS_GET_RECORD_TYPE = 1, 2
TCP_ULP = 31
KTLS_CIPHER = {'aes-128-gcm': 51, 'aes-256-gcm': 52,
               'chacha20-poly1305': 54}
KTLS_VERSION = {'1.2': 0x0303, '1.3': 0x0304}

TIMEOUT = 30


class CheckFailed(Exception):
    """A check's expectation was not met."""


class ModuleError(Exception):
    """The module (or sspictl) refused: str() is the SEC_E_ name."""


# ---------------------------------------------------------------------------
# Key derivation (TLS 1.2 PRF, TLS 1.3 HKDF-Expand-Label) from a key log

def tls12_prf(hashf, secret, label, seed, length):
    """RFC 5246 section 5: P_hash(secret, label + seed)."""
    seed = label + seed
    out, a = b'', seed
    while len(out) < length:
        a = hmac.new(secret, a, hashf).digest()
        out += hmac.new(secret, a + seed, hashf).digest()
    return out[:length]


def hkdf_expand_label(hashf, secret, label, length):
    """RFC 8446 section 7.1, with an empty context."""
    full = b'tls13 ' + label
    info = struct.pack('>HB', length, len(full)) + full + b'\x00'
    out, t, i = b'', b'', 1
    while len(out) < length:
        t = hmac.new(secret, t + info + bytes([i]), hashf).digest()
        out += t
        i += 1
    return out[:length]


def read_keylog(path, client_random):
    """The NSS key log's secrets for one client random: {label: bytes}."""
    secrets = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3 or parts[0].startswith('#'):
                continue
            if bytes.fromhex(parts[1]) == client_random:
                secrets[parts[0]] = bytes.fromhex(parts[2])
    return secrets


def derive_keys(keylog, client_random, role, version, cipher,
                server_random=None):
    """(tx_key, tx_iv12, rx_key, rx_iv12, next_seq) for ROLE.

    The 12-byte IVs follow sspictl's --tx-iv/--rx-iv convention: TLS 1.2
    AES-GCM salt || explicit nonce of the next record (= its sequence
    number, as sspictl's key-log import does), otherwise the static IV.
    """
    secrets = read_keylog(keylog, client_random)
    hashf, klen = HASH[cipher], KEY_LEN[cipher]
    if version == '1.3':
        try:
            cts = secrets['CLIENT_TRAFFIC_SECRET_0']
            sts = secrets['SERVER_TRAFFIC_SECRET_0']
        except KeyError as e:
            raise CheckFailed('key log lacks %s' % e) from None
        ck, civ = (hkdf_expand_label(hashf, cts, b'key', klen),
                   hkdf_expand_label(hashf, cts, b'iv', 12))
        sk, siv = (hkdf_expand_label(hashf, sts, b'key', klen),
                   hkdf_expand_label(hashf, sts, b'iv', 12))
        seq = 0
    else:
        if 'CLIENT_RANDOM' not in secrets:
            raise CheckFailed('key log lacks CLIENT_RANDOM')
        ivlen = 12 if cipher == 'chacha20-poly1305' else 4
        block = tls12_prf(hashf, secrets['CLIENT_RANDOM'], b'key expansion',
                          server_random + client_random, 2 * (klen + ivlen))
        ck, sk = block[:klen], block[klen:2 * klen]
        civ = block[2 * klen:2 * klen + ivlen]
        siv = block[2 * klen + ivlen:]
        seq = 1     # the Finished messages were record 0
        if ivlen == 4:
            civ += seq.to_bytes(8, 'big')
            siv += seq.to_bytes(8, 'big')
    if role == 'client':
        return ck, civ, sk, siv, seq
    return sk, siv, ck, civ, seq


# ---------------------------------------------------------------------------
# The module side: sspictl, or a stand-in written with python3-cryptography

class Sspictl:
    """The real module, through the sspictl command line."""

    def __init__(self, path, ioctl=False, expect_driver=None):
        self.path = path
        self.glob = ['--ioctl'] if ioctl else []
        self.expect_driver = expect_driver

    def _run(self, args, data=b'', glob=True):
        cmd = [self.path] + (self.glob if glob else []) + args
        p = subprocess.run(cmd, input=data, capture_output=True,
                           timeout=TIMEOUT)
        err = p.stderr.decode(errors='replace').strip()
        if p.returncode != 0:
            lines = err.splitlines() or ['no message']
            why = ([x for x in lines if 'SEC_E_' in x] or lines)[0]
            raise ModuleError('%s (sspictl %s: exit %d)' % (
                why, ' '.join(args[:2]), p.returncode))
        return p.stdout, err

    def import_keys(self, version, cipher, tx_key, tx_iv, tx_seq,
                    rx_key, rx_iv, rx_seq):
        out, _ = self._run(['ctx', 'import', 'tls', '--version', version,
                            '--cipher', cipher,
                            '--tx-key', tx_key.hex(), '--tx-iv', tx_iv.hex(),
                            '--tx-seq', str(tx_seq),
                            '--rx-key', rx_key.hex(), '--rx-iv', rx_iv.hex(),
                            '--rx-seq', str(rx_seq)], glob=False)
        return self._checked(self._handle(out))

    def import_keylog(self, keylog, client_random, role, version, cipher,
                      server_random=None):
        args = ['ctx', 'import', 'tls', '--keylog', keylog,
                '--client-random', client_random.hex(), '--role', role,
                '--version', version, '--cipher', cipher]
        if server_random is not None:
            args += ['--server-random', server_random.hex()]
        out, _ = self._run(args, glob=False)
        return self._checked(self._handle(out))

    def _checked(self, h):
        """H, once its drivers match --expect-driver."""
        if self.expect_driver:
            out, _ = self._run(['-j', 'ctx', 'show', h], glob=False)
            info = json.loads(out)
            info = info[0] if isinstance(info, list) else info
            for d in ('tx_driver', 'rx_driver'):
                if not re.fullmatch(self.expect_driver, info.get(d, '')):
                    self.delete(h)
                    raise CheckFailed('context %s: %s %r, not %s' % (
                        h, d, info.get(d), self.expect_driver))
        return h

    @staticmethod
    def _handle(out):
        h = out.decode().strip()
        if not h or len(h.split()) != 1:
            raise CheckFailed('ctx import printed %r, not a handle' % h)
        return h

    def seal(self, h, data, qop=None):
        args = ['seal', h] + (['--qop', hex(qop)] if qop is not None else [])
        out, _ = self._run(args, data)
        return out

    def unseal(self, h, records):
        """(plaintext, SEC_I_ name or None)."""
        out, err = self._run(['unseal', h], records)
        status = None
        for word in err.replace(':', ' ').split():
            if word.startswith('SEC_I_'):
                status = word
        return out, status

    def delete(self, h):
        self._run(['ctx', 'delete', h], glob=False)


class FakeDirection:
    def __init__(self, version, cipher, key, iv, seq):
        from cryptography.hazmat.primitives.ciphers.aead import (
            AESGCM, ChaCha20Poly1305)
        self.version, self.cipher = version, cipher
        if cipher == 'chacha20-poly1305':
            self.aead = ChaCha20Poly1305(key)
        else:
            self.aead = AESGCM(key)
        if len(key) != KEY_LEN[cipher] or len(iv) != 12:
            raise ModuleError('SEC_E_INVALID_TOKEN (key or iv size)')
        self.iv, self.seq = iv, seq
        self.explicit = version == '1.2' and cipher != 'chacha20-poly1305'
        self.nonce_ctr = int.from_bytes(iv[4:], 'big')

    def xor_nonce(self):
        pad = self.seq.to_bytes(12, 'big')
        return bytes(a ^ b for a, b in zip(self.iv, pad))


class FakeModule:
    """sspi_kmod's Schannel record layer, in Python, for development."""

    def __init__(self):
        self.ctx = {}
        self.next = 1

    def import_keys(self, version, cipher, tx_key, tx_iv, tx_seq,
                    rx_key, rx_iv, rx_seq):
        h = '0x%x' % self.next
        self.next += 1
        self.ctx[h] = (FakeDirection(version, cipher, tx_key, tx_iv, tx_seq),
                       FakeDirection(version, cipher, rx_key, rx_iv, rx_seq))
        return h

    def import_keylog(self, keylog, client_random, role, version, cipher,
                      server_random=None):
        tk, tiv, rk, riv, seq = derive_keys(keylog, client_random, role,
                                            version, cipher, server_random)
        return self.import_keys(version, cipher, tk, tiv, seq, rk, riv, seq)

    def seal(self, h, data, qop=None):
        d = self.ctx[h][0]
        if qop is not None and qop not in (0, QOP_OOB):
            raise ModuleError('SEC_E_QOP_NOT_SUPPORTED')
        ctype = CT_ALERT if qop == QOP_OOB else CT_DATA
        if len(data) > 16384 or (ctype == CT_ALERT and len(data) != 2):
            raise ModuleError('SEC_E_INVALID_TOKEN')
        seqb = d.seq.to_bytes(8, 'big')
        if d.version == '1.3':
            inner = data + bytes([ctype])
            hdr = struct.pack('>BHH', CT_DATA, 0x0303, len(inner) + 16)
            rec = hdr + d.aead.encrypt(d.xor_nonce(), inner, hdr)
        else:
            aad = seqb + struct.pack('>BHH', ctype, 0x0303, len(data))
            if d.explicit:
                expl = d.nonce_ctr.to_bytes(8, 'big')
                d.nonce_ctr = (d.nonce_ctr + 1) % (1 << 64)
                body = expl + d.aead.encrypt(d.iv[:4] + expl, data, aad)
            else:
                body = d.aead.encrypt(d.xor_nonce(), data, aad)
            rec = struct.pack('>BHH', ctype, 0x0303, len(body)) + body
        d.seq += 1
        return rec

    def unseal(self, h, records):
        from cryptography.exceptions import InvalidTag
        d = self.ctx[h][1]
        if len(records) < 5:
            raise ModuleError('SEC_E_INCOMPLETE_MESSAGE')
        ctype, ver, n = struct.unpack('>BHH', records[:5])
        if len(records) < 5 + n:
            raise ModuleError('SEC_E_INCOMPLETE_MESSAGE')
        if len(records) > 5 + n:
            raise ModuleError('SEC_E_INVALID_TOKEN (fake: bytes after it)')
        if ver != 0x0303:
            raise ModuleError('SEC_E_INVALID_TOKEN')
        body = records[5:]
        try:
            if d.version == '1.3':
                if ctype != CT_DATA:
                    raise ModuleError('SEC_E_INVALID_TOKEN')
                inner = d.aead.decrypt(d.xor_nonce(), body, records[:5])
                inner = inner.rstrip(b'\x00')
                ctype, data = inner[-1], inner[:-1]
            else:
                aad = d.seq.to_bytes(8, 'big')
                if d.explicit:
                    nonce, body = d.iv[:4] + body[:8], body[8:]
                else:
                    nonce = d.xor_nonce()
                aad += struct.pack('>BHH', ctype, 0x0303, len(body) - 16)
                data = d.aead.decrypt(nonce, body, aad)
        except InvalidTag:
            raise ModuleError('SEC_E_MESSAGE_ALTERED') from None
        d.seq += 1
        if ctype == CT_DATA:
            return data, None
        if ctype == CT_ALERT:
            return data, ('SEC_I_CONTEXT_EXPIRED' if data == CLOSE_NOTIFY
                          else None)
        if ctype == CT_HANDSHAKE:
            return data, 'SEC_I_RENEGOTIATE'
        raise ModuleError('SEC_E_INVALID_TOKEN')

    def delete(self, h):
        del self.ctx[h]


# ---------------------------------------------------------------------------
# Socket helpers

def recv_exact(sock, n):
    buf = b''
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise CheckFailed('connection closed after %d of %d bytes'
                              % (len(buf), n))
        buf += chunk
    return buf


def recv_record(sock):
    hdr = recv_exact(sock, 5)
    return hdr + recv_exact(sock, struct.unpack('>H', hdr[3:5])[0])


def unseal_data(mod, h, sock, want):
    """Unseal records from SOCK until WANT bytes of application data."""
    got = b''
    while len(got) < len(want):
        rec = recv_record(sock)
        data, status = mod.unseal(h, rec)
        if status is not None:
            raise CheckFailed('unseal gave %s, expected application data'
                              % status)
        got += data
    if got != want:
        raise CheckFailed('unsealed %d bytes differ from the %d sent'
                          % (len(got), len(want)))


def expect_close_notify(mod, h, sock):
    data, status = mod.unseal(h, recv_record(sock))
    if status != 'SEC_I_CONTEXT_EXPIRED':
        raise CheckFailed('close_notify unsealed as %s (%s), expected '
                          'SEC_I_CONTEXT_EXPIRED' % (status, data.hex()))


def check_nonce(version, cipher, record, want):
    """A TLS 1.2 AES-GCM record's explicit nonce must be WANT (the --tx-iv
    convention: the given one first, then one more per record)."""
    if version != '1.2' or cipher == 'chacha20-poly1305':
        return record
    got = int.from_bytes(record[5:13], 'big')
    if got != want:
        raise CheckFailed('explicit nonce %#x, expected %#x' % (got, want))
    return record


def delete_quietly(mod, handles):
    """Delete contexts while another failure is being reported."""
    for h in handles:
        try:
            mod.delete(h)
        except (ModuleError, OSError, subprocess.SubprocessError):
            pass


def message(tag, n):
    """N recognisable bytes, random after a readable prefix."""
    prefix = ('sspi_kmod interop %s: ' % tag).encode()
    return (prefix + os.urandom(n))[:n]


# ---------------------------------------------------------------------------
# OpenSSL peer (server side, its own process)

def peer_main(args):
    """--peer-server: accept one TLS connection, obey stdin commands.

    Commands, one per line; answers are JSON lines on stdout:
      recv N    read exactly N bytes of application data
      recveof   the next read must see the peer's close_notify
      send HEX  write HEX as application data (one record)
      close     send close_notify and wait for the other's
    """
    def say(obj):
        sys.stdout.write(json.dumps(obj) + '\n')
        sys.stdout.flush()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    v = ssl.TLSVersion.TLSv1_2 if args.version == '1.2' \
        else ssl.TLSVersion.TLSv1_3
    ctx.minimum_version = ctx.maximum_version = v
    if args.version == '1.2':
        ctx.set_ciphers(SUITE_12[args.cipher])
    ctx.num_tickets = 0
    lsock = socket.socket()
    lsock.bind(('127.0.0.1', 0))
    lsock.listen(1)
    say({'port': lsock.getsockname()[1]})
    raw, _ = lsock.accept()
    raw.settimeout(TIMEOUT)
    try:
        s = ctx.wrap_socket(raw, server_side=True,
                            suppress_ragged_eofs=False)
    except (ssl.SSLError, OSError) as e:
        say({'error': 'handshake: %s' % e})
        return 1
    say({'version': s.version(), 'cipher': s.cipher()[0]})
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        try:
            if cmd[0] == 'recv':
                n, buf = int(cmd[1]), b''
                while len(buf) < n:
                    chunk = s.recv(n - len(buf))
                    if not chunk:
                        break
                    buf += chunk
                say({'data': buf.hex()})
            elif cmd[0] == 'recveof':
                chunk = s.recv(1)
                say({'eof': chunk == b'', 'data': chunk.hex()})
            elif cmd[0] == 'send':
                s.sendall(bytes.fromhex(cmd[1]))
                say({'sent': True})
            elif cmd[0] == 'close':
                s.unwrap()
                say({'closed': True})
            else:
                say({'error': 'unknown command %s' % cmd[0]})
        except (ssl.SSLError, OSError, ValueError) as e:
            say({'error': '%s: %s: %s' % (cmd[0], type(e).__name__, e)})
    return 0


class Peer:
    """The OpenSSL peer process."""

    def __init__(self, tmp, version, cipher):
        conf = os.path.join(tmp, 'openssl-%s-%s.cnf' % (version, cipher))
        with open(conf, 'w') as f:
            f.write('openssl_conf = conf\n[conf]\nssl_conf = ssl\n'
                    '[ssl]\nsystem_default = sd\n[sd]\n'
                    'Ciphersuites = %s\n' % SUITE_13[cipher])
        env = dict(os.environ, OPENSSL_CONF=conf)
        self.p = subprocess.Popen(
            [PYTHON, SELF, '--peer-server', '--version', version,
             '--cipher', cipher, '--cert', os.path.join(tmp, 'cert.pem'),
             '--key', os.path.join(tmp, 'key.pem')],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
        self.port = self.answer()['port']

    def answer(self):
        ready, _, _ = select.select([self.p.stdout], [], [], TIMEOUT)
        line = self.p.stdout.readline() if ready else ''
        if not line:
            raise CheckFailed('OpenSSL peer gave no answer')
        obj = json.loads(line)
        if 'error' in obj:
            raise CheckFailed('OpenSSL peer: %s' % obj['error'])
        return obj

    def cmd(self, text):
        self.p.stdin.write(text + '\n')
        self.p.stdin.flush()
        return self.answer()

    def finish(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        try:
            self.p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def make_cert(tmp):
    """A self-signed ECDSA P-256 certificate for localhost."""
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'localhost')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName('localhost')]), critical=False)
            .sign(key, hashes.SHA256()))
    with open(os.path.join(tmp, 'cert.pem'), 'wb') as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(os.path.join(tmp, 'key.pem'), 'wb') as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


def client_handshake(sock, tmp, version, cipher, keylog):
    """OpenSSL client handshake over memory BIOs; returns the randoms."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(os.path.join(tmp, 'cert.pem'))
    v = ssl.TLSVersion.TLSv1_2 if version == '1.2' else ssl.TLSVersion.TLSv1_3
    ctx.minimum_version = ctx.maximum_version = v
    if version == '1.2':
        ctx.set_ciphers(SUITE_12[cipher])
    ctx.keylog_filename = keylog
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname='localhost')
    sent, received = b'', b''
    while True:
        try:
            obj.do_handshake()
            done = True
        except ssl.SSLWantReadError:
            done = False
        data = out.read()
        if data:
            sent += data
            sock.sendall(data)
        if done:
            break
        data = sock.recv(65536)
        if not data:
            raise CheckFailed('peer closed during the handshake')
        received += data
        inc.write(data)
    if inc.pending or obj.pending():
        raise CheckFailed('%d bytes left unread after the handshake'
                          % (inc.pending + obj.pending()))
    want = ('TLSv1.2' if version == '1.2' else 'TLSv1.3',
            SUITE_12[cipher] if version == '1.2' else SUITE_13[cipher])
    if (obj.version(), obj.cipher()[0]) != want:
        raise CheckFailed('negotiated %s %s, wanted %s %s'
                          % ((obj.version(), obj.cipher()[0]) + want))
    # ClientHello / ServerHello: record header 5, handshake header 4,
    # legacy_version 2, then the 32-byte random.
    if sent[0] != CT_HANDSHAKE or sent[5] != 1:
        raise CheckFailed('first bytes sent are not a ClientHello')
    if received[0] != CT_HANDSHAKE or received[5] != 2:
        raise CheckFailed('first bytes received are not a ServerHello')
    return sent[11:43], received[11:43]


def check_openssl(mod, tmp, version, cipher, direction):
    peer = Peer(tmp, version, cipher)
    handles = []
    try:
        sock = socket.create_connection(('127.0.0.1', peer.port),
                                        timeout=TIMEOUT)
        with sock:
            keylog = os.path.join(tmp, 'keylog-%s-%s-%s' % (
                version, cipher, direction.replace('->', '-')))
            cr, sr = client_handshake(sock, tmp, version, cipher, keylog)
            info = peer.answer()
            want = ['TLSv' + version, (SUITE_12 if version == '1.2'
                                       else SUITE_13)[cipher]]
            if [info.get('version'), info.get('cipher')] != want:
                raise CheckFailed('peer negotiated %s, wanted %s'
                                  % (info, want))
            sr12 = sr if version == '1.2' else None
            # First record: the context sspictl imports from the key log.
            hk = mod.import_keylog(keylog, cr, 'client', version, cipher,
                                   sr12)
            handles.append(hk)
            # The rest: keys derived here, one record further on in the
            # direction tested (the other one starts where the key log says).
            tk, tiv, rk, riv, seq = derive_keys(keylog, cr, 'client',
                                                version, cipher, sr12)
            tseq = seq + (direction == 'module->peer')
            rseq = seq + (direction == 'peer->module')
            if version == '1.2' and cipher != 'chacha20-poly1305':
                tiv = tiv[:4] + tseq.to_bytes(8, 'big')
                riv = riv[:4] + rseq.to_bytes(8, 'big')
            he = mod.import_keys(version, cipher, tk, tiv, tseq,
                                 rk, riv, rseq)
            handles.append(he)
            m1, m2 = message('first', 1000), message('second', MAX_RECORD)
            if direction == 'module->peer':
                # The key log import's nonce is the sequence number.
                sock.sendall(
                    check_nonce(version, cipher, mod.seal(hk, m1), seq) +
                    check_nonce(version, cipher, mod.seal(he, m2), tseq))
                got = bytes.fromhex(peer.cmd('recv %d' % (len(m1) + len(m2)))
                                    ['data'])
                if got != m1 + m2:
                    raise CheckFailed('peer read %d bytes, not the %d sealed'
                                      % (len(got), len(m1) + len(m2)))
                sock.sendall(mod.seal(he, CLOSE_NOTIFY, QOP_OOB))
                r = peer.cmd('recveof')
                if not r['eof']:
                    raise CheckFailed('peer read %s, not close_notify'
                                      % r['data'])
                peer.cmd('close')
            else:
                peer.cmd('send ' + m1.hex())
                unseal_data(mod, hk, sock, m1)
                peer.cmd('send ' + m2.hex())
                unseal_data(mod, he, sock, m2)
                peer.p.stdin.write('close\n')
                peer.p.stdin.flush()
                expect_close_notify(mod, he, sock)
                sock.sendall(mod.seal(he, CLOSE_NOTIFY, QOP_OOB))
                peer.answer()
    except BaseException:
        delete_quietly(mod, handles)
        raise
    finally:
        peer.finish()
    for h in handles:
        mod.delete(h)


# ---------------------------------------------------------------------------
# kTLS peer

def ktls_info(version, cipher, key, iv12, seq):
    """struct tls12_crypto_info_* for KEY and a 12-byte IV in sspictl's
    convention (salt || iv for AES-GCM, iv for ChaCha20-Poly1305)."""
    head = struct.pack('=HH', KTLS_VERSION[version], KTLS_CIPHER[cipher])
    rec_seq = seq.to_bytes(8, 'big')
    if cipher == 'chacha20-poly1305':
        return head + iv12 + key + rec_seq
    return head + iv12[4:] + key + iv12[:4] + rec_seq


def check_ktls(mod, version, cipher, direction):
    lsock = socket.socket()
    lsock.bind(('127.0.0.1', 0))
    lsock.listen(1)
    klen = KEY_LEN[cipher]
    # k: the kTLS end; p: the plain end whose bytes the module handles.
    k = socket.create_connection(lsock.getsockname(), timeout=TIMEOUT)
    p, _ = lsock.accept()
    lsock.close()
    p.settimeout(TIMEOUT)
    h = None
    try:
        # Random keys, IVs (explicit nonces) and sequence numbers.
        ktx = (os.urandom(klen), os.urandom(12),
               int.from_bytes(os.urandom(4), 'big'))
        krx = (os.urandom(klen), os.urandom(12),
               int.from_bytes(os.urandom(4), 'big'))
        try:
            k.setsockopt(socket.IPPROTO_TCP, TCP_ULP, b'tls')
            k.setsockopt(SOL_TLS, TLS_TX, ktls_info(version, cipher, *ktx))
            k.setsockopt(SOL_TLS, TLS_RX, ktls_info(version, cipher, *krx))
        except OSError as e:
            raise CheckFailed('kTLS setsockopt: %s' % e) from None
        h = mod.import_keys(version, cipher, krx[0], krx[1], krx[2],
                            ktx[0], ktx[1], ktx[2])
        m1, m2 = message('first', 1000), message('second', MAX_RECORD)
        if direction == 'module->peer':
            nonce = int.from_bytes(krx[1][4:], 'big')
            p.sendall(check_nonce(version, cipher, mod.seal(h, m1), nonce))
            p.sendall(check_nonce(version, cipher, mod.seal(h, m2),
                                  (nonce + 1) % (1 << 64)))
            got = recv_exact(k, len(m1) + len(m2))
            if got != m1 + m2:
                raise CheckFailed('kTLS read %d bytes, not the %d sealed'
                                  % (len(got), len(m1) + len(m2)))
            p.sendall(mod.seal(h, CLOSE_NOTIFY, QOP_OOB))
            data, anc, _, _ = k.recvmsg(64, socket.CMSG_SPACE(1))
            ctype = [c[2][0] for c in anc
                     if c[0] == SOL_TLS and c[1] == TLS_GET_RECORD_TYPE]
            if ctype != [CT_ALERT] or data != CLOSE_NOTIFY:
                raise CheckFailed('kTLS read record type %s %s, not a '
                                  'close_notify alert' % (ctype, data.hex()))
        else:
            k.sendall(m1)
            unseal_data(mod, h, p, m1)
            k.sendall(m2)
            unseal_data(mod, h, p, m2)
            k.sendmsg([CLOSE_NOTIFY],
                      [(SOL_TLS, TLS_SET_RECORD_TYPE, bytes([CT_ALERT]))])
            expect_close_notify(mod, h, p)
    except BaseException:
        delete_quietly(mod, [h] if h is not None else [])
        raise
    finally:
        k.close()
        p.close()
    mod.delete(h)


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sspictl', default='sspictl',
                    help='path to sspictl (default: on $PATH)')
    ap.add_argument('--ioctl', action='store_true',
                    help='seal/unseal through /dev/sspi (sspictl --ioctl)')
    ap.add_argument('--fake-module', action='store_true',
                    help='a record layer in Python instead of the module')
    ap.add_argument('--peers', default=','.join(PEERS),
                    help='comma-separated subset of: %s' % ', '.join(PEERS))
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='tracebacks for failed checks')
    ap.add_argument('--expect-driver', metavar='REGEX',
                    help='every context\'s crypto drivers must match REGEX')
    # The OpenSSL peer's own process.
    ap.add_argument('--peer-server', action='store_true',
                    help=argparse.SUPPRESS)
    ap.add_argument('--version', help=argparse.SUPPRESS)
    ap.add_argument('--cipher', help=argparse.SUPPRESS)
    ap.add_argument('--cert', help=argparse.SUPPRESS)
    ap.add_argument('--key', help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peer_server:
        return peer_main(args)

    peers = args.peers.split(',')
    for p in peers:
        if p not in PEERS:
            ap.error('unknown peer %s' % p)
    mod = FakeModule() if args.fake_module else Sspictl(args.sspictl,
                                                        args.ioctl,
                                                        args.expect_driver)
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix='sspi-interop.') as tmp:
        if 'openssl' in peers:
            make_cert(tmp)
        for peer in peers:
            for version in VERSIONS:
                for cipher in CIPHERS:
                    for direction in DIRECTIONS:
                        name = '%s tls%s %s %s' % (peer, version, cipher,
                                                   direction)
                        try:
                            if peer == 'openssl':
                                check_openssl(mod, tmp, version, cipher,
                                              direction)
                            else:
                                check_ktls(mod, version, cipher, direction)
                        except (CheckFailed, ModuleError, OSError,
                                ssl.SSLError, subprocess.SubprocessError,
                                ValueError, KeyError) as e:
                            failed += 1
                            print('not ok %s # %s: %s'
                                  % (name, type(e).__name__, e), flush=True)
                            if args.verbose:
                                traceback.print_exc()
                        else:
                            passed += 1
                            print('ok %s' % name, flush=True)
    print('%d checks: %d passed, %d failed (%s)' % (
        passed + failed, passed, failed,
        'fake module' if args.fake_module else
        'sspi_kmod via sspictl%s' % (' --ioctl' if args.ioctl else '')))
    return 1 if failed or not passed else 0


if __name__ == '__main__':
    sys.exit(main())
