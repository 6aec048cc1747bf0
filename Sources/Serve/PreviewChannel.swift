import Foundation
import HTTPTypes
import HummingbirdCore
import Logging
import Support
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// One preview connection: NIO's HTTP/1.1 decoder (llhttp) with ``HTTPLimits``, then ``RequestGate``,
/// then Hummingbird's conversion to HTTP types, its idle limit and its request loop.
///
/// It is Hummingbird's `HTTP1Channel` with the gate between NIO's codec and the conversion: only there
/// are a request's HTTP version and raw fields still seen, and only there can the decoder's errors be
/// answered with their own status (Hummingbird answers every decoding error with 400).
struct PreviewChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: HTTPLimits

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // NIOAsyncChannel answers requests in order
                withErrorHandling: false,  // RequestGate answers decoding errors
                withOutboundHeaderValidation: false,  // HTTP types validate fields already
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: limits.decoderLimits
            )
            try pipeline.addHandler(RequestGate(limits: limits))
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            // Its idle limit runs from the connection's start, the last request part read, or the end of
            // the last response, and is suspended while a response is written: a request's head must
            // arrive within `headerTimeout` (the head is one part, however slowly its bytes come).
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: limits.headerTimeout, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}

/// Sits between NIO's HTTP/1 codec and Hummingbird: refuses what the site should never see, with a
/// status and a short reason, then closes; everything else passes unchanged.
///
/// - Decoding errors: 431 when a limit of ``HTTPLimits`` is passed (NIO reports one error for all of
///   them, so an over-long request target gets 431 too), 505 for HTTP versions other than 1.x, 400 otherwise.
/// - An HTTP/1.1 request without `Host` (RFC 9112 §3.2): 400. `Host` itself is the middleware's.
/// - A body: chunked gets 501, over ``HTTPLimits/maxBodyBytes`` 413 (the site answers GET and HEAD only;
///   a small body is read and dropped by Hummingbird).
/// - Connection: an HTTP/1.0 request without `keep-alive` (or any with `close`) has its connection
///   closed after its response, which says so.
///
/// A refusal, and a response the site marks `Connection: close`, waits for the responses to earlier
/// requests on the connection, then stops the output and reads (and drops) what the client still sends
/// for up to a second, so that a client in the middle of a long request reads the answer instead of a
/// reset connection.
final class RequestGate: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let limits: HTTPLimits
    /// Requests passed on whose response has not ended, oldest first: whether each asked to close.
    private var inFlight: [Bool] = []
    /// Once decided, nothing more is passed on; it is sent when `inFlight` is empty.
    private var refusal: Refusal?
    /// The response being written ends the connection, at the site's request.
    private var siteCloses = false
    /// The server has said its last: input is read and dropped until the client closes or a second passes.
    private var closing = false
    private var drain: Scheduled<Void>?

    init(limits: HTTPLimits) {
        self.limits = limits
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard refusal == nil && !closing else { return }
        switch unwrapInboundIn(data) {
        case .head(var head):
            if let refusal = check(head) {
                refuse(refusal, context: context)
                return
            }
            let close = !head.isKeepAlive
            // Hummingbird ends a connection after the request whose `Connection` is exactly "close".
            if close { head.headers.replaceOrAdd(name: "Connection", value: "close") }
            inFlight.append(close)
            context.fireChannelRead(wrapInboundOut(.head(head)))
        case .body, .end:
            context.fireChannelRead(data)
        }
    }

    private func check(_ head: HTTPRequestHead) -> Refusal? {
        if head.version.major != 1 { return .versionNotSupported }
        if head.version.minor >= 1 && !head.headers.contains(name: "Host") { return .badRequest }
        if head.headers.contains(name: "Transfer-Encoding") { return .notImplemented }
        // NIO has checked its syntax, and that several values agree.
        if let length = head.headers.first(name: "Content-Length").flatMap({ Int($0) }), length > limits.maxBodyBytes {
            return .contentTooLarge
        }
        return nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // After a refusal the decoder reports every further read as an error: they are dropped too.
        guard refusal == nil && !closing else { return }
        if let error = error as? HTTPParserError {
            switch error {
            case .headerOverflow: refuse(.headersTooLarge, context: context)
            case .invalidVersion: refuse(.versionNotSupported, context: context)
            default: refuse(.badRequest, context: context)
            }
            return
        }
        context.fireErrorCaught(error)
    }

    /// Marks responses that end the connection with `Connection: close`. When the site asked for it (a
    /// refusal of the Host policy) rather than the client, the gate closes the connection after it.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            if !inFlight.isEmpty, !inFlight[0], head.headers[canonicalForm: "Connection"].contains("close") {
                siteCloses = true
            }
            if inFlight.first == true || siteCloses { head.headers.replaceOrAdd(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            context.write(data, promise: promise)
            if !inFlight.isEmpty { inFlight.removeFirst() }
            if siteCloses {
                context.flush()
                finish(context: context)
            } else if refusal != nil && inFlight.isEmpty {
                send(context: context)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client has sent all it will (it half-closed), or the server stops: a finished connection closes now.
        if closing, event as? ChannelEvent == .inputClosed || event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        drain?.cancel()
        drain = nil
        context.fireChannelInactive()
    }

    private func refuse(_ refusal: Refusal, context: ChannelHandlerContext) {
        self.refusal = refusal
        if inFlight.isEmpty { send(context: context) }
    }

    private func send(context: ChannelHandlerContext) {
        guard let refusal, !closing else { return }
        let status = refusal.status
        let body = ByteBuffer(string: "\(status.code) \(status.reasonPhrase)\n\(refusal.message(limits))\n")
        let headers = HTTPHeaders([
            ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", String(body.readableBytes)),
            ("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff"), ("Connection", "close"),
        ])
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        finish(context: context)
    }

    /// Stops the output, then drops what comes in until the client closes, or for a second.
    private func finish(context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        context.close(mode: .output, promise: nil)
        drain = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) {
            context.close(promise: nil)
        }
    }

    /// A request the preview will not answer, with a short reason for whoever sent it.
    enum Refusal: Sendable, Equatable {
        case badRequest, contentTooLarge, headersTooLarge, notImplemented, versionNotSupported

        var status: HTTPResponseStatus {
            switch self {
            case .badRequest: .badRequest
            case .contentTooLarge: .custom(code: 413, reasonPhrase: "Content Too Large")
            case .headersTooLarge: .requestHeaderFieldsTooLarge
            case .notImplemented: .notImplemented
            case .versionNotSupported: .httpVersionNotSupported
            }
        }

        func message(_ limits: HTTPLimits) -> String {
            switch self {
            case .badRequest:
                localized("请求格式不正确。", en: "The request is malformed.")
            case .contentTooLarge:
                localized("请求正文超过 \(limits.maxBodyBytes / 1024) KB。", en: "The request body exceeds \(limits.maxBodyBytes / 1024) KB.")
            case .headersTooLarge:
                localized("请求头过大：请求目标或单个字段超过 \(limits.maxFieldBytes / 1024) KB，全部超过 \(limits.maxHeaderBytes / 1024) KB，或多于 \(limits.maxHeaderFields) 个字段。",
                          en: "The request head is too large: its target or a field over \(limits.maxFieldBytes / 1024) KB, over \(limits.maxHeaderBytes / 1024) KB in all, or more than \(limits.maxHeaderFields) fields.")
            case .notImplemented:
                localized("预览服务器不接受分块传输的请求正文。", en: "The preview server does not accept chunked request bodies.")
            case .versionNotSupported:
                localized("预览服务器只支持 HTTP/1.0 和 HTTP/1.1。", en: "The preview server speaks HTTP/1.0 and HTTP/1.1 only.")
            }
        }
    }
}

/// On the listening channel, ahead of NIO's `AcceptBackoffHandler` (which pauses accepting for a second
/// after a failed `accept`, the client staying queued in the kernel): counts the failures, and says once
/// on stderr that accepting fails and once that it works again.
final class AcceptWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    let failures: AcceptFailures
    let log: @Sendable (String) -> Void
    private var failing = false

    init(failures: AcceptFailures, log: @escaping @Sendable (String) -> Void) {
        self.failures = failures
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if failing {
            failing = false
            log(localized("预览服务器恢复接受连接。", en: "the preview server accepts connections again."))
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failures.add()
        if !failing {
            failing = true
            log(localized("预览服务器暂时无法接受连接（\(error)）：文件描述符或内存可能已用尽。它会自动重试，资源释放后即恢复。",
                          en: "the preview server cannot accept connections for now (\(error)): file descriptors or memory may have run out. It retries by itself and recovers once they are freed."))
        }
        context.fireErrorCaught(error)
    }
}

/// How many times accepting a connection has failed.
final class AcceptFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    var count: Int { lock.withLock { value } }
    func add() { lock.withLock { value += 1 } }
}
