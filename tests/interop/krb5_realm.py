#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A throw-away MIT Kerberos realm on loopback, for the interop tests.

Realm(tmpdir) makes, under a temporary directory: a KDC database
(kdb5_util create -s), kdc.conf and a krb5.conf for realm SSPI.TEST with
the KDC on 127.0.0.1 at a free port, starts krb5kdc, and creates with
kadmin.local a user (alice, with a password) and, for each enctype under
test, a service sspiNN/localhost whose only key is of that enctype, all in
one keytab.  Nothing outside the directory is touched: KRB5_CONFIG,
KRB5_KDC_PROFILE, KRB5CCNAME, KRB5_KTNAME and KRB5RCACHEDIR point into it.

Per enctype, realm.env(enctype) is an environment whose krb5.conf permits
only that enctype (permitted_enctypes, default_tkt/tgs_enctypes) and whose
ccache holds a TGT got with kinit under it: a context made with it has a
session key -- and an acceptor subkey -- of that enctype, and its service
ticket is encrypted in the service's one key.

Run as a script it sets the realm up, prints the environment of each
enctype as shell assignments and waits for a signal (--shell COMMAND runs
COMMAND in that environment instead and exits with its status).
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

REALM = 'SSPI.TEST'
USER = 'alice'
PASSWORD = 'sspi-interop-pw'
ENCTYPES = {17: 'aes128-cts-hmac-sha1-96', 18: 'aes256-cts-hmac-sha1-96',
            19: 'aes128-cts-hmac-sha256-128', 20: 'aes256-cts-hmac-sha384-192'}
SBIN = ('/usr/sbin', '/usr/bin', '/sbin', '/bin')


def service(enctype):
    """The host-based service name of the enctype's service."""
    return 'sspi%d@localhost' % enctype


def principal(enctype):
    return 'sspi%d/localhost@%s' % (enctype, REALM)


def tool(name):
    for d in SBIN:
        p = os.path.join(d, name)
        if os.access(p, os.X_OK):
            return p
    raise FileNotFoundError('%s not found (apt-get install krb5-kdc krb5-admin-server '
                            'krb5-user: scripts/setup-host)' % name)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Realm:
    """A KDC for SSPI.TEST on 127.0.0.1; close() stops it."""

    def __init__(self, enctypes=ENCTYPES, tmpdir=None):
        self.enctypes = list(enctypes)
        self.dir = tempfile.mkdtemp(prefix='sspi-krb5.', dir=tmpdir)
        self.port = free_port()
        self.kdc = None
        self.keytab = os.path.join(self.dir, 'service.keytab')
        self._write_conf()
        try:
            self._create()
        except BaseException:
            self.close()
            raise

    def path(self, name):
        return os.path.join(self.dir, name)

    def _krb5_conf(self, name, enctypes):
        ets = ' '.join(ENCTYPES[e] for e in enctypes)
        with open(self.path(name), 'w') as f:
            f.write(f"""[libdefaults]
	default_realm = {REALM}
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	udp_preference_limit = 1
	permitted_enctypes = {ets}
	default_tkt_enctypes = {ets}
	default_tgs_enctypes = {ets}
[realms]
	{REALM} = {{
		kdc = 127.0.0.1:{self.port}
	}}
[domain_realm]
	localhost = {REALM}
""")
        return self.path(name)

    def _write_conf(self):
        all_ets = ' '.join('%s:normal' % ENCTYPES[e] for e in ENCTYPES)
        with open(self.path('kdc.conf'), 'w') as f:
            f.write(f"""[kdcdefaults]
	kdc_listen = 127.0.0.1:{self.port}
	kdc_tcp_listen = 127.0.0.1:{self.port}
[realms]
	{REALM} = {{
		database_name = {self.path('principal')}
		key_stash_file = {self.path('stash')}
		acl_file = {self.path('kadm5.acl')}
		master_key_type = aes256-cts-hmac-sha1-96
		supported_enctypes = {all_ets}
		max_life = 10h
		max_renewable_life = 1d
	}}
[logging]
	kdc = FILE:{self.path('kdc.log')}
	admin_server = FILE:{self.path('kadmin.log')}
	default = FILE:{self.path('krb5.log')}
""")
        open(self.path('kadm5.acl'), 'w').close()
        self.base_conf = self._krb5_conf('krb5.conf', ENCTYPES)
        os.makedirs(self.path('rcache'), exist_ok=True)

    def base_env(self):
        env = dict(os.environ)
        env.update(KRB5_CONFIG=self.base_conf,
                   KRB5_KDC_PROFILE=self.path('kdc.conf'),
                   KRB5_KTNAME='FILE:' + self.keytab,
                   KRB5CCNAME='FILE:' + self.path('ccache'),
                   KRB5RCACHEDIR=self.path('rcache'))
        env.pop('KRB5_TRACE', None)
        return env

    def run(self, argv, env=None, stdin=None):
        r = subprocess.run(argv, env=env or self.base_env(), input=stdin,
                           capture_output=True, text=True, timeout=120)
        if r.returncode:
            raise RuntimeError('%s: exit %d: %s%s' % (' '.join(argv), r.returncode,
                                                      r.stdout, r.stderr))
        return r.stdout

    def kadmin(self, query):
        return self.run([tool('kadmin.local'), '-r', REALM, '-q', query])

    def _create(self):
        self.run([tool('kdb5_util'), '-r', REALM, 'create', '-s', '-P',
                  'sspi-master-key'])
        self.kdc = subprocess.Popen([tool('krb5kdc'), '-n', '-r', REALM],
                                    env=self.base_env(),
                                    stdout=subprocess.DEVNULL,
                                    stderr=open(self.path('krb5kdc.err'), 'w'))
        self.kadmin('addprinc -pw %s %s' % (PASSWORD, USER))
        for e in self.enctypes:
            p = principal(e)
            self.kadmin('addprinc -randkey -e %s:normal %s' % (ENCTYPES[e], p))
            self.kadmin('ktadd -k %s -e %s:normal %s' % (self.keytab, ENCTYPES[e], p))
        # the KDC answers once it listens
        deadline = time.monotonic() + 60
        while True:
            if self.kdc.poll() is not None:
                with open(self.path('krb5kdc.err')) as f:
                    raise RuntimeError('krb5kdc exited %d: %s' % (self.kdc.returncode,
                                                                f.read()))
            try:
                socket.create_connection(('127.0.0.1', self.port), 1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError('krb5kdc does not listen on port %d' % self.port)
                time.sleep(0.2)
        self.envs = {}
        for e in self.enctypes:
            env = self.base_env()
            env['KRB5_CONFIG'] = self._krb5_conf('krb5.%d.conf' % e, [e])
            env['KRB5CCNAME'] = 'FILE:' + self.path('ccache.%d' % e)
            self.run([tool('kinit'), USER], env=env, stdin=PASSWORD + '\n')
            self.envs[e] = env

    def env(self, enctype):
        """The environment of enctype's runs (a copy)."""
        return dict(self.envs[enctype])

    def close(self):
        if self.kdc and self.kdc.poll() is None:
            self.kdc.terminate()
            try:
                self.kdc.wait(10)
            except subprocess.TimeoutExpired:
                self.kdc.kill()
                self.kdc.wait()
        self.kdc = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--enctype', type=int, action='append', choices=sorted(ENCTYPES),
                    help='enctypes to set up (default: all four)')
    ap.add_argument('--shell', help='run this shell command in the first enctype\'s '
                    'environment, then stop the KDC')
    args = ap.parse_args()
    with Realm(args.enctype or ENCTYPES) as realm:
        if args.shell:
            e = realm.enctypes[0]
            sys.exit(subprocess.run(['/bin/sh', '-c', args.shell], env=realm.env(e)).returncode)
        for e in realm.enctypes:
            env = realm.env(e)
            print('# enctype %d (%s): service %s' % (e, ENCTYPES[e], service(e)))
            print(' '.join('%s=%s' % (k, env[k]) for k in
                           ('KRB5_CONFIG', 'KRB5_KDC_PROFILE', 'KRB5CCNAME',
                            'KRB5_KTNAME', 'KRB5RCACHEDIR')))
        sys.stdout.flush()
        signal.sigwait({signal.SIGINT, signal.SIGTERM})


if __name__ == '__main__':
    main()
