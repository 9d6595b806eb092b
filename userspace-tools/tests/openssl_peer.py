#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
sspictl against OpenSSL: Python's ssl module (OpenSSL) does a handshake
between a client and a server over memory BIOs, writing an NSS key log;
sspictl imports a context for each role from that key log ("ctx import
tls --keylog"), and the records go both ways between OpenSSL and the
kernel:

  OpenSSL client -> sspictl unseal (server context)
  sspictl seal (client context) -> OpenSSL server
  OpenSSL server -> sspictl unseal (client context)
  sspictl seal (server context) -> OpenSSL client

then the client's close_notify unseals as SEC_I_CONTEXT_EXPIRED, and with
--tickets (TLS 1.3) the server's NewSessionTicket as SEC_I_RENEGOTIATE.

Usage: openssl_peer.py SSPICTL VERSION CIPHER [--tickets] [--ioctl]
Needs the module loaded (run inside scripts/vm-run) and the openssl
command for a throwaway certificate.  Exits 0 when everything matched.
Python cannot choose TLS 1.3 suites: an OPENSSL_CONF of its own does.
"""
import json
import os
import subprocess
import sys
import tempfile

SUITES12 = {
    'aes-128-gcm': 'ECDHE-ECDSA-AES128-GCM-SHA256',
    'aes-256-gcm': 'ECDHE-ECDSA-AES256-GCM-SHA384',
    'chacha20-poly1305': 'ECDHE-ECDSA-CHACHA20-POLY1305',
}
SUITES13 = {
    'aes-128-gcm': 'TLS_AES_128_GCM_SHA256',
    'aes-256-gcm': 'TLS_AES_256_GCM_SHA384',
    'chacha20-poly1305': 'TLS_CHACHA20_POLY1305_SHA256',
}


def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)


def sspictl(*args, data=b'', expect=0):
    cmd = [SSPICTL] + (['--ioctl'] if IOCTL and args[0] in
                       ('seal', 'unseal') else []) + list(args)
    p = subprocess.run(cmd, input=data, capture_output=True)
    if p.returncode != expect:
        fail('%s: exit %d: %s' % (' '.join(cmd), p.returncode,
                                  p.stderr.decode().strip()))
    return p.stdout, p.stderr.decode()


def pump(a_out, b_in):
    data = a_out.read()
    b_in.write(data)
    return data


def handshake(client, server, cout, cin, sout, sin):
    """Returns each side's flights: the first has its hello, the server's
    last (TLS 1.3) its NewSessionTickets"""
    flights = {'c': [], 's': []}
    for _ in range(10):
        done = 0
        for who, conn in (('c', client), ('s', server)):
            try:
                conn.do_handshake()
                done += 1
            except ssl.SSLWantReadError:
                pass
            src, dst = (cout, sin) if who == 'c' else (sout, cin)
            data = pump(src, dst)
            if data:
                flights[who].append(data)
        if done == 2:
            return flights
    fail('handshake did not finish')


def hello_random(flight):
    # record header (5), handshake header (4), legacy_version (2), random
    if flight[0] != 22 or flight[5] not in (1, 2):
        fail('not a hello: %s' % flight[:8].hex())
    return flight[11:43]


def main(tmp):
    global SSPICTL, IOCTL
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    SSPICTL, version, cipher = args
    IOCTL = '--ioctl' in sys.argv
    tickets = '--tickets' in sys.argv
    key, cert = os.path.join(tmp, 'key.pem'), os.path.join(tmp, 'cert.pem')
    keylog = os.path.join(tmp, 'keylog')
    conf = os.path.join(tmp, 'openssl.cnf')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
                    'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=sspi',
                    '-days', '1', '-keyout', key, '-out', cert],
                   check=True, capture_output=True)
    with open(conf, 'w') as f:
        f.write('openssl_conf = conf\n[conf]\nssl_conf = ssl\n'
                '[ssl]\nsystem_default = sys\n'
                '[sys]\nCiphersuites = %s\n' % SUITES13[cipher])
    os.environ['OPENSSL_CONF'] = conf
    global ssl
    import ssl

    proto = (ssl.TLSVersion.TLSv1_2 if version == '1.2'
             else ssl.TLSVersion.TLSv1_3)
    cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cctx.check_hostname = False
    cctx.verify_mode = ssl.CERT_NONE
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(cert, key)
    sctx.num_tickets = 1 if tickets else 0
    for ctx in (cctx, sctx):
        ctx.minimum_version = ctx.maximum_version = proto
        if version == '1.2':
            ctx.set_ciphers(SUITES12[cipher])
    cctx.keylog_filename = keylog

    cin, cout, sin, sout = (ssl.MemoryBIO() for _ in range(4))
    client = cctx.wrap_bio(cin, cout, server_side=False)
    server = sctx.wrap_bio(sin, sout, server_side=True)
    flights = handshake(client, server, cout, cin, sout, sin)
    want = SUITES12[cipher] if version == '1.2' else SUITES13[cipher]
    if client.cipher()[0] != want:
        fail('negotiated %s, not %s (OPENSSL_CONF sets the TLS 1.3 suites)'
             % (client.cipher()[0], want))
    cr = hello_random(flights['c'][0])
    sr = hello_random(flights['s'][0])

    imp = ['ctx', 'import', 'tls', '--keylog', keylog, '--client-random',
           cr.hex(), '--cipher', cipher, '--version', version]
    if version == '1.2':
        imp += ['--server-random', sr.hex()]
    hc = json.loads(sspictl('-j', *imp, '--role', 'client')[0])['handle']
    hs = json.loads(sspictl('-j', *imp, '--role', 'server')[0])['handle']
    try:
        if tickets:
            # the server's NewSessionTicket, its last flight
            nst = flights['s'][-1]
            if len(flights['s']) < 2 or nst[0] != 23:
                fail('no NewSessionTicket flight')
            out, err = sspictl('unseal', hc, data=nst)
            if 'SEC_I_RENEGOTIATE' not in err or out:
                fail('NewSessionTicket: %r %r' % (out, err))
            print('NewSessionTicket: SEC_I_RENEGOTIATE')
            return
        p = os.urandom(40000)
        q = os.urandom(23456)

        client.write(p)
        out, _ = sspictl('unseal', hs, data=cout.read())
        if out != p:
            fail('OpenSSL client -> sspictl unseal')

        recs, _ = sspictl('seal', hc, data=q)
        sin.write(recs)
        got = b''
        while len(got) < len(q):
            got += server.read(65536)
        if got != q:
            fail('sspictl seal -> OpenSSL server')

        server.write(q)
        out, _ = sspictl('unseal', hc, data=sout.read())
        if out != q:
            fail('OpenSSL server -> sspictl unseal')

        recs, _ = sspictl('seal', hs, data=p)
        cin.write(recs)
        got = b''
        while len(got) < len(p):
            got += client.read(65536)
        if got != p:
            fail('sspictl seal -> OpenSSL client')

        try:
            client.unwrap()
        except ssl.SSLWantReadError:
            pass
        out, err = sspictl('unseal', hs, data=cout.read())
        if 'SEC_I_CONTEXT_EXPIRED' not in err or out:
            fail('close_notify: %r %r' % (out, err))
        print('TLS %s %s: both ways with OpenSSL, close_notify' %
              (version, cipher))
    finally:
        sspictl('ctx', 'delete', hc)
        sspictl('ctx', 'delete', hs)


with tempfile.TemporaryDirectory() as tmpdir:
    main(tmpdir)
