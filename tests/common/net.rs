//! Network conditions the tests stage on 127.0.0.1.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};

/// A listener whose connects never complete: its accept queue is full (backlog 1, filled by
/// connections nobody accepts), so Linux drops further SYNs, as a firewall that drops packets
/// does. Keep the returned listener and fillers alive for as long as the condition must hold.
pub async fn connect_never_completes() -> (SocketAddr, TcpListener, Vec<TcpStream>) {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("addr"))
        .expect("bind");
    let listener = socket.listen(1).expect("listen");
    let addr = listener.local_addr().expect("addr");
    let mut fillers = Vec::new();
    for _ in 0..4 {
        if let Ok(Ok(stream)) =
            tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(addr)).await
        {
            fillers.push(stream);
        }
    }
    (addr, listener, fillers)
}
