#!/usr/bin/python3
"""An RTSP server as cameras and MediaMTX-like servers are built: GStreamer's gst-rtsp-server (libgstrtspserver),
for the tests of the node's RTSP pull (docs/relays.md). Serves one mount over RTSP (RTP over TCP or UDP, as the
client asks), each client its own pipeline from the start:

  gst-rtsp-server.py PORT MOUNT live              a test pattern and a tone, x264 and AAC, live
  gst-rtsp-server.py PORT MOUNT pcmu|pcma         the same with G.711 audio (µ-law or A-law, 8 kHz mono), live
  gst-rtsp-server.py PORT MOUNT file PATH.flv     an FLV file's H.264 and AAC as they are, in real time

  --digest USER:PASSWORD / --basic USER:PASSWORD  ask for that login (RFC 2617)

Prints "ready PORT" once it listens; runs until killed."""
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtsp', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

LIVE = ('( videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=25/1 '
        '! x264enc tune=zerolatency key-int-max=25 ! rtph264pay name=pay0 pt=96 config-interval=-1 '
        'audiotestsrc is-live=true ! audio/x-raw,rate=44100,channels=2 ! avenc_aac ! rtpmp4gpay name=pay1 pt=97 )')
# A camera's defaults: H.264 video and G.711 audio (PCMU, RFC 3551's static payload type 0, or PCMA, type 8).
G711 = ('( videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=25/1 '
        '! x264enc tune=zerolatency key-int-max=25 ! rtph264pay name=pay0 pt=96 config-interval=-1 '
        'audiotestsrc is-live=true ! audio/x-raw,rate=8000,channels=1 ! {encoder} ! {payloader} name=pay1 )')
FILE = ('( filesrc location="{path}" ! flvdemux name=d '
        'd.video ! queue ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 '
        'd.audio ! queue ! aacparse ! rtpmp4gpay name=pay1 pt=97 )')


def main(argv):
    login = None
    if len(argv) >= 2 and argv[-2] in ('--digest', '--basic'):
        login = (argv[-2], argv[-1])
        argv = argv[:-2]
    port, mount, kind = argv[1], argv[2], argv[3]
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    if kind == 'live':
        launch = LIVE
    elif kind == 'pcmu':
        launch = G711.format(encoder='mulawenc', payloader='rtppcmupay')
    elif kind == 'pcma':
        launch = G711.format(encoder='alawenc', payloader='rtppcmapay')
    else:
        launch = FILE.format(path=argv[4])
    factory.set_launch(launch)
    factory.set_shared(False)
    if login:
        user, password = login[1].split(':', 1)
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, 'viewer')
        if login[0] == '--digest':
            auth.add_digest(user, password, token)
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        else:
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
            auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
        server.set_auth(auth)
        factory.add_role_from_structure(Gst.Structure.from_string(
            'viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true')[0])
    server.get_mount_points().add_factory(mount, factory)
    if server.attach(None) == 0:
        sys.exit('cannot listen on port ' + port)
    print('ready', server.get_bound_port(), flush=True)
    GLib.MainLoop().run()


if __name__ == '__main__':
    main(sys.argv)
