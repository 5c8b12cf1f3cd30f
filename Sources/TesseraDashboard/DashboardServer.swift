import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

// The HTTP side: SwiftNIO with its HTTP/1.1 codec on one event-loop thread. Routes:
//   GET /                 the page (index.html)
//   GET /dashboard.js     its script        GET /dashboard.css   its style sheet
//   GET /state            the current snapshot as JSON (for scripts and tests)
//   GET /events           Server-Sent Events: a `snapshot` event, then `update` events at most
//                         ten a second, and a last `finished` event (a whole snapshot) when the program's computes end
// Anything else is 404; methods other than GET and HEAD are 405.
//
// A slow page never holds the program back: an event for a connection whose socket buffer is
// full is not queued; the connection gets a fresh snapshot once it can take data again.

/// The HTTP server behind a ``Dashboard``.
final class DashboardServer: @unchecked Sendable {
    /// Calls its argument with the current snapshot, holding the lock under which the dashboard
    /// also broadcasts, so a page that connects gets every segment exactly once: either in its
    /// snapshot or in a later update, never in both.
    typealias Snapshot = @Sendable (_ deliver: (String) -> Void) -> Void

    /// One connected event stream.
    final class Client: @unchecked Sendable {
        let channel: Channel
        /// Set when an event was skipped because the connection couldn't take it.
        let stale = NIOLockedValueBox(false)
        init(channel: Channel) { self.channel = channel }
    }

    private let group: MultiThreadedEventLoopGroup
    private var channel: Channel?
    private let clients = NIOLockedValueBox<[ObjectIdentifier: Client]>([:])
    private let snapshot: Snapshot
    /// The port bound (the one asked for, or the system's choice for port 0).
    private(set) var port = 0

    init(snapshot: @escaping Snapshot) {
        self.snapshot = snapshot
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Binds and starts accepting connections.
    func start(host: String, port: Int) throws {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(server: self))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
        do {
            let channel = try bootstrap.bind(host: host, port: port).wait()
            self.channel = channel
            self.port = channel.localAddress?.port ?? port
        } catch {
            try? group.syncShutdownGracefully()
            throw DashboardError.cannotListen(host: host, port: port, reason: String(describing: error))
        }
    }

    /// How many pages are connected to the event stream.
    var clientCount: Int { clients.withLockedValue { $0.count } }

    /// Sends one Server-Sent Event to every connected page; a page that missed events gets
    /// `snapshot()` instead of an update. Call it under the lock that ``Snapshot`` takes.
    func broadcast(event: String, data: String, snapshot: () -> String) {
        let all = clients.withLockedValue { Array($0.values) }
        guard !all.isEmpty else { return }
        let text = Self.frame(event: event, data: data)
        for client in all {
            if client.channel.isWritable {
                // A page that missed events catches up with a whole snapshot instead.
                let catchUp = client.stale.withLockedValue { s in defer { s = false }; return s }
                let payload = catchUp && event != "finished" ? Self.frame(event: "snapshot", data: snapshot()) : text
                write(payload, to: client.channel)
            } else {
                client.stale.withLockedValue { $0 = true }
            }
        }
    }

    /// `event: NAME` and `data: …` lines, then a blank line (the data holds no newline: it is JSON).
    static func frame(event: String, data: String) -> String { "event: \(event)\ndata: \(data)\n\n" }

    private func write(_ text: String, to channel: Channel) {
        let buffer = channel.allocator.buffer(string: text)
        channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
    }

    fileprivate func register(_ channel: Channel) {
        snapshot { text in
            clients.withLockedValue { $0[ObjectIdentifier(channel)] = Client(channel: channel) }
            write(Self.frame(event: "snapshot", data: text), to: channel)
        }
    }

    /// The current snapshot as text.
    func currentSnapshot() -> String {
        var text = ""
        snapshot { text = $0 }
        return text
    }

    fileprivate func unregister(_ channel: Channel) {
        _ = clients.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Ends every event stream and stops listening; waits until the event loop has stopped.
    func stop() {
        let all = clients.withLockedValue { c in defer { c = [:] }; return Array(c.values) }
        for client in all {
            let ch = client.channel
            ch.eventLoop.execute {
                ch.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in ch.close(promise: nil) }
            }
        }
        try? channel?.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// Answers one connection's requests; an `/events` request keeps the connection as a stream.
    private final class RequestHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let server: DashboardServer
        var request: HTTPRequestHead?
        var streaming = false

        init(server: DashboardServer) { self.server = server }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): request = head
            case .body: break
            case .end:
                guard let head = request, !streaming else { return }
                request = nil
                respond(to: head, context: context)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if streaming { server.unregister(context.channel) }
            context.fireChannelInactive()
        }

        func channelWritabilityChanged(context: ChannelHandlerContext) {
            context.fireChannelWritabilityChanged()
        }

        private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
            guard head.method == .GET || head.method == .HEAD else {
                return send(status: .methodNotAllowed, type: "text/plain", body: "only GET\n", head: head, context: context)
            }
            let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
            switch path {
            case "/", "/index.html": send(status: .ok, type: "text/html; charset=utf-8", body: DashboardPage.html, head: head, context: context)
            case "/dashboard.js": send(status: .ok, type: "text/javascript; charset=utf-8", body: DashboardPage.script, head: head, context: context)
            case "/dashboard.css": send(status: .ok, type: "text/css; charset=utf-8", body: DashboardPage.style, head: head, context: context)
            case "/state": send(status: .ok, type: "application/json", body: server.currentSnapshot(), head: head, context: context)
            case "/events" where head.method == .GET:
                streaming = true
                var headers = HTTPHeaders()
                headers.add(name: "content-type", value: "text/event-stream")
                headers.add(name: "cache-control", value: "no-cache")
                // HTTP/1.0 clients get a plain stream that ends with the connection; 1.1 chunked.
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
                server.register(context.channel)
            default: send(status: .notFound, type: "text/plain", body: "not found: \(path)\n", head: head, context: context)
            }
        }

        private func send(status: HTTPResponseStatus, type: String, body: String, head: HTTPRequestHead, context: ChannelHandlerContext) {
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: type)
            headers.add(name: "content-length", value: String(body.utf8.count))
            headers.add(name: "cache-control", value: "no-store")
            let keepAlive = head.isKeepAlive
            headers.add(name: "connection", value: keepAlive ? "keep-alive" : "close")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
            if head.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
            }
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                let channel = context.channel
                done.whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }
}
