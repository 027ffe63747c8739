// The teleconsultation room (issue 13 §2): a WebRTC call between the participants' browsers,
// signalled through the sandbox's WebSocket (server/portal/room.py, room_hub.py). The page
// allows no inline script and no other site: this file is the whole of it, with no library.
// Names and messages from the server are put in the page as text (textContent), never as HTML.
// No STUN or TURN server: host candidates only (iceServers is empty).
"use strict";

(() => {
  const root = document.getElementById("room");
  if (!root) {
    return;
  }
  const isHost = root.dataset.host === "1";
  const statusLine = document.getElementById("status");
  const videos = document.getElementById("videos");
  const lobby = document.getElementById("lobby");
  const waitingList = document.getElementById("waiting");
  const lobbyEmpty = document.getElementById("lobby-empty");
  const selfVideo = document.getElementById("self-video");
  const micButton = document.getElementById("mic");
  const cameraButton = document.getElementById("camera");
  const soundButton = document.getElementById("sound");
  const leaveButton = document.getElementById("leave");

  const TEXT = {
    connecting: "Connexion à la salle…",
    media: "Accès au micro et à la caméra…",
    refused:
      "Micro ou caméra refusés : autorisez-les pour ce site dans votre navigateur, puis " +
      "rechargez la page. Vous pouvez rester sans être vu(e) ni entendu(e).",
    insecure:
      "Micro et caméra indisponibles : ouvrez ce lien dans Chrome, Edge ou Firefox, à " +
      "l'adresse reçue dans l'invitation.",
    unsupported:
      "Ce navigateur ne permet pas la visio : ouvrez le lien dans Chrome, Edge ou Firefox.",
    waiting: "Salle d'attente — le professionnel va vous admettre.",
    hostAlone:
      "Vous êtes dans la salle. Les participants qui arrivent s'affichent dans la salle " +
      "d'attente : admettez-les.",
    guestAlone: "Vous êtes admis(e) : le professionnel va vous rejoindre.",
    inside: "Téléconsultation",
    calling: "Connexion avec les participants…",
    connected: "Connecté(e) avec ",
    failed: "La connexion avec un participant a échoué : rechargez la page pour réessayer.",
    ended: "L'appel est terminé.",
    left: "Vous avez quitté la téléconsultation. Rechargez la page pour revenir.",
    replaced: "La salle est ouverte dans une autre fenêtre : cette page est fermée.",
    lost: "La connexion à la salle est perdue : rechargez la page pour revenir.",
    admit: "Admettre",
    micOff: "Couper le micro",
    micOn: "Rétablir le micro",
    cameraOff: "Couper la caméra",
    cameraOn: "Rétablir la caméra",
    someone: "Participant",
  };

  const peers = new Map(); // id → { pc, figure, video, pending }
  const names = new Map(); // id → name
  let socket = null;
  let local = null;
  let inside = false;
  let over = false;
  let mediaProblem = "";
  let queue = Promise.resolve();

  function show(state, text) {
    root.dataset.state = state;
    const media = mediaProblem && !over && state !== "failed";
    statusLine.textContent = media ? `${text} ${mediaProblem}` : text;
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(message));
    }
  }

  async function startMedia() {
    if (!window.RTCPeerConnection || !window.WebSocket) {
      show("unsupported", TEXT.unsupported);
      return false;
    }
    show("media", TEXT.media);
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      mediaProblem = TEXT.insecure;
    } else {
      try {
        local = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
        selfVideo.srcObject = local;
      } catch (error) {
        local = null;
        mediaProblem = TEXT.refused;
      }
    }
    if (!local) {
      selfVideo.closest("figure").hidden = true;
      micButton.disabled = true;
      cameraButton.disabled = true;
    }
    return true;
  }

  function play(video) {
    const started = video.play();
    if (started && started.catch) {
      started.catch(() => {
        // The browser wants a click before sound: play muted, and offer the sound.
        video.muted = true;
        video.play().catch(() => {});
        soundButton.hidden = false;
      });
    }
  }

  function tile(id) {
    const figure = document.createElement("figure");
    figure.className = "tile";
    figure.dataset.peer = id;
    figure.dataset.connection = "new";
    const video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    const caption = document.createElement("figcaption");
    caption.textContent = names.get(id) || TEXT.someone;
    figure.append(video, caption);
    videos.append(figure);
    return { figure, video };
  }

  function peer(id, offering) {
    const known = peers.get(id);
    if (known) {
      return known;
    }
    const pc = new RTCPeerConnection({ iceServers: [] });
    const entry = { pc, pending: [], ...tile(id) };
    peers.set(id, entry);
    if (local) {
      for (const track of local.getTracks()) {
        pc.addTrack(track, local);
      }
    } else if (offering) {
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
    }
    pc.onicecandidate = (event) => {
      if (event.candidate) {
        send({ type: "signal", to: id, data: { candidate: event.candidate.toJSON() } });
      }
    };
    pc.ontrack = (event) => {
      const stream = event.streams[0] || new MediaStream([event.track]);
      if (entry.video.srcObject !== stream) {
        entry.video.srcObject = stream;
        play(entry.video);
      }
    };
    pc.onconnectionstatechange = () => {
      entry.figure.dataset.connection = pc.connectionState;
      refresh();
    };
    return entry;
  }

  function drop(id) {
    const entry = peers.get(id);
    if (entry) {
      entry.pc.close();
      entry.figure.remove();
      peers.delete(id);
    }
  }

  function refresh() {
    if (over) {
      return;
    }
    if (!inside) {
      show("waiting", TEXT.waiting);
      return;
    }
    const all = [...peers.entries()];
    const connected = all.filter(([, e]) => e.pc.connectionState === "connected");
    if (connected.length > 0) {
      const who = connected.map(([id]) => names.get(id) || TEXT.someone).join(", ");
      show("connected", `${TEXT.connected}${who}.`);
    } else if (all.some(([, e]) => e.pc.connectionState === "failed")) {
      show("failed", TEXT.failed);
    } else if (all.length > 0) {
      show("calling", TEXT.calling);
    } else {
      show("inside", isHost ? TEXT.hostAlone : TEXT.guestAlone);
    }
  }

  async function call(id) {
    const { pc } = peer(id, true);
    await pc.setLocalDescription(await pc.createOffer());
    send({ type: "signal", to: id, data: { description: pc.localDescription.toJSON() } });
  }

  async function signal(from, data) {
    const entry = peer(from, false);
    const { pc } = entry;
    if (data.description) {
      await pc.setRemoteDescription(data.description);
      for (const candidate of entry.pending.splice(0)) {
        await pc.addIceCandidate(candidate);
      }
      if (data.description.type === "offer") {
        await pc.setLocalDescription(await pc.createAnswer());
        send({ type: "signal", to: from, data: { description: pc.localDescription.toJSON() } });
      }
    } else if (data.candidate) {
      if (pc.remoteDescription) {
        await pc.addIceCandidate(data.candidate);
      } else {
        entry.pending.push(data.candidate);
      }
    }
  }

  function showLobby(waiting) {
    waitingList.replaceChildren();
    for (const person of waiting) {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = person.name;
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = TEXT.admit;
      button.dataset.admit = person.id;
      button.addEventListener("click", () => {
        button.disabled = true;
        send({ type: "admit", id: person.id });
      });
      item.append(name, button);
      waitingList.append(item);
    }
    lobbyEmpty.hidden = waiting.length > 0;
    root.dataset.waiting = String(waiting.length);
  }

  function finish(state, text) {
    over = true;
    root.dataset.over = "1";
    for (const id of [...peers.keys()]) {
      drop(id);
    }
    if (local) {
      for (const track of local.getTracks()) {
        track.stop();
      }
    }
    lobby.hidden = true;
    for (const button of [micButton, cameraButton, soundButton, leaveButton]) {
      button.disabled = true;
    }
    show(state, text);
  }

  async function receive(message) {
    switch (message.type) {
      case "welcome":
        lobby.hidden = !message.host;
        break;
      case "waiting":
        inside = false;
        break;
      case "enter":
        inside = true;
        if (!isHost) {
          document.querySelector("h1").textContent = TEXT.inside;
        }
        for (const person of message.peers) {
          names.set(person.id, person.name);
          await call(person.id);
        }
        break;
      case "peer-joined":
        names.set(message.peer.id, message.peer.name);
        drop(message.peer.id); // a reload: its call starts over
        break;
      case "peer-left":
        drop(message.id);
        break;
      case "lobby":
        showLobby(message.waiting);
        break;
      case "signal":
        await signal(message.from, message.data);
        break;
      case "ended":
        finish("ended", TEXT.ended);
        return;
      case "replaced":
        finish("replaced", TEXT.replaced);
        return;
      case "error":
        statusLine.textContent = String(message.message);
        return;
      default:
        return;
    }
    refresh();
  }

  function connect() {
    show("connecting", TEXT.connecting);
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}${root.dataset.socket}`);
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      queue = queue.then(() => receive(message)).catch((error) => {
        statusLine.textContent = `${TEXT.failed} (${error.name})`;
      });
    });
    socket.addEventListener("close", () => {
      queue = queue.then(() => {
        if (!over) {
          finish("lost", TEXT.lost);
        }
      });
    });
  }

  function toggle(button, kind, offText, onText) {
    if (!local) {
      return;
    }
    const muted = button.getAttribute("aria-pressed") !== "true";
    for (const track of local.getTracks()) {
      if (track.kind === kind) {
        track.enabled = !muted;
      }
    }
    button.setAttribute("aria-pressed", String(muted));
    button.textContent = muted ? onText : offText;
  }

  micButton.addEventListener("click", () => toggle(micButton, "audio", TEXT.micOff, TEXT.micOn));
  cameraButton.addEventListener("click", () =>
    toggle(cameraButton, "video", TEXT.cameraOff, TEXT.cameraOn),
  );
  soundButton.addEventListener("click", () => {
    for (const video of videos.querySelectorAll("video:not(#self-video)")) {
      video.muted = false;
      video.play().catch(() => {});
    }
    soundButton.hidden = true;
  });
  leaveButton.addEventListener("click", () => {
    if (isHost) {
      send({ type: "end" }); // the server ends the call for everyone, this page included
    } else {
      finish("left", TEXT.left);
      if (socket) {
        socket.close();
      }
    }
  });

  startMedia().then((supported) => {
    if (supported) {
      connect();
    }
  });
})();
