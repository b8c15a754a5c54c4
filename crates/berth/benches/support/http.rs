//! A minimal keep-alive HTTP/1.1 client for the benches: one connection,
//! requests in sequence, reconnecting only when the server closes it.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// How long one request may take before the bench gives up on it.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A status and body read from the server.
#[derive(Debug)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

/// One persistent connection to `address`.
pub struct Client {
    address: String,
    connection: Option<BufReader<TcpStream>>,
    /// Connections opened so far; a keep-alive server keeps this at one.
    pub connects: u64,
}

impl Client {
    /// A client for `address` (`host:port`); it connects on first use.
    pub fn new(address: &str) -> Client {
        Client {
            address: address.to_owned(),
            connection: None,
            connects: 0,
        }
    }

    /// Posts an AWS JSON 1.1 request for `target`
    /// (`AmazonEC2ContainerServiceV20141113.<Op>`).
    pub fn post_aws_json(&mut self, target: &str, body: &[u8]) -> io::Result<Response> {
        let head = format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: {target}\r\nX-Amz-Date: 20260101T000000Z\r\nAuthorization: {}\r\nContent-Length: {}\r\n\r\n",
            self.address,
            signed_authorization(),
            body.len()
        );
        let reused = self.connection.is_some();
        match self.exchange(head.as_bytes(), body) {
            Ok(response) => Ok(response),
            // A server may close an idle keep-alive connection just as we
            // reuse it; that request never reached it, so send it again.
            Err(error) if reused && error.kind() == io::ErrorKind::ConnectionAborted => {
                self.connection = None;
                self.exchange(head.as_bytes(), body)
            }
            Err(error) => Err(error),
        }
    }

    fn exchange(&mut self, head: &[u8], body: &[u8]) -> io::Result<Response> {
        if self.connection.is_none() {
            let stream = TcpStream::connect(&self.address)?;
            stream.set_nodelay(true)?;
            stream.set_read_timeout(Some(REQUEST_TIMEOUT))?;
            self.connection = Some(BufReader::new(stream));
            self.connects += 1;
        }
        let Some(connection) = self.connection.as_mut() else {
            return Err(io::Error::other("no connection"));
        };
        let mut request = Vec::with_capacity(head.len() + body.len());
        request.extend_from_slice(head);
        request.extend_from_slice(body);
        let written = connection.get_mut().write_all(&request);
        let result = written.and_then(|()| read_response(connection));
        match result {
            Ok((response, keep_alive)) => {
                if !keep_alive {
                    self.connection = None;
                }
                Ok(response)
            }
            Err(error) => {
                self.connection = None;
                Err(error)
            }
        }
    }
}

/// A syntactically valid SigV4 header; Berth and the peers parse it but do
/// not verify signatures.
pub fn signed_authorization() -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIDBERTHBENCH/20260101/us-east-1/ecs/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={}",
        "0".repeat(64)
    )
}

/// Reads one response; the flag says whether the connection stays open.
fn read_response(reader: &mut BufReader<TcpStream>) -> io::Result<(Response, bool)> {
    let mut status_line = String::new();
    if reader.read_line(&mut status_line)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "the server closed the connection before answering",
        ));
    }
    let mut parts = status_line.split_whitespace();
    let version = parts.next().unwrap_or_default().to_owned();
    let status = parts
        .next()
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| io::Error::other(format!("bad status line {status_line:?}")))?;
    let mut content_length = None;
    let mut chunked = false;
    let mut keep_alive = version == "HTTP/1.1";
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(io::Error::other("the response head ended early"));
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => content_length = value.parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "connection" => keep_alive = value.eq_ignore_ascii_case("keep-alive"),
            _ => {}
        }
    }
    let body = if chunked {
        read_chunked(reader)?
    } else if let Some(length) = content_length {
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        body
    } else {
        // Without a length the body runs to the end of the connection.
        let mut body = Vec::new();
        reader.read_to_end(&mut body)?;
        keep_alive = false;
        body
    };
    Ok((Response { status, body }, keep_alive))
}

fn read_chunked(reader: &mut BufReader<TcpStream>) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size_line = String::new();
        reader.read_line(&mut size_line)?;
        let size_text = size_line.trim().split(';').next().unwrap_or_default();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| io::Error::other(format!("bad chunk size {size_line:?}")))?;
        if size == 0 {
            // Skip trailers up to the blank line.
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                    return Ok(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        let mut crlf = [0; 2];
        reader.read_exact(&mut crlf)?;
    }
}
