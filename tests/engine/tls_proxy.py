"""A TLS front for hvp-engine-sim (which speaks plain HTTP), for the TLS checks of
tests/engine/module.sh: listens on 127.0.0.1 (free port, printed first on stdout) with the
given certificate and key, and relays every connection to the plain server.

usage: tls_proxy.py CERT KEY UPSTREAM_HOST:PORT
"""
import socket
import ssl
import sys
import threading


def pump(source, target):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client, upstream):
    try:
        backend = socket.create_connection(upstream)
    except OSError:
        client.close()
        return
    threading.Thread(target=pump, args=(client, backend), daemon=True).start()
    pump(backend, client)


def main():
    cert, key, upstream = sys.argv[1], sys.argv[2], sys.argv[3]
    host, port = upstream.rsplit(":", 1)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print(f"127.0.0.1:{listener.getsockname()[1]}", flush=True)
    while True:
        raw, _ = listener.accept()
        try:
            client = context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            raw.close()
            continue
        threading.Thread(target=serve, args=(client, (host, int(port))), daemon=True).start()


if __name__ == "__main__":
    main()
