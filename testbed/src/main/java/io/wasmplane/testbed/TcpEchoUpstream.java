package io.wasmplane.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A TCP upstream on loopback that echoes back every byte it receives. */
public final class TcpEchoUpstream implements AutoCloseable {
  private final ServerSocket server;

  private TcpEchoUpstream(ServerSocket server) {
    this.server = server;
  }

  public static TcpEchoUpstream start() {
    try {
      ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
      TcpEchoUpstream upstream = new TcpEchoUpstream(server);
      Thread acceptor = new Thread(upstream::acceptLoop, "tcp-echo-" + server.getLocalPort());
      acceptor.setDaemon(true);
      acceptor.start();
      return upstream;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread worker = new Thread(() -> echo(socket), "tcp-echo-conn");
        worker.setDaemon(true);
        worker.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void echo(Socket socket) {
    try (socket;
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream()) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
