// WhatsApp simulator: opens a conversation as a customer, sends through the gateway's
// pipeline and polls the local outbox. Text is always inserted as text (never as HTML).
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const state = { conversation: null, lastId: 0, timer: null, seen: new Map() };

  function randomPhone() {
    let digits = "";
    for (let i = 0; i < 8; i++) digits += Math.floor(Math.random() * 10);
    return "+52 55 " + digits.slice(0, 4) + " " + digits.slice(4);
  }

  async function api(path, options) {
    const response = await fetch(path, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || data.description || ("HTTP " + response.status));
    return data;
  }

  async function loadBranches() {
    const branches = await api("/simulator/api/branches");
    const select = $("branch");
    select.textContent = "";
    for (const b of branches) {
      const option = document.createElement("option");
      option.value = b.code;
      option.textContent = b.name + " (" + b.city + ")";
      option.dataset.number = b.whatsapp_number || "";
      select.appendChild(option);
    }
    if (!branches.length) $("setup-error").textContent = "No hay sucursales: importa el archivo de sucursales.";
    const saved = localStorage.getItem("sim.branch");
    if (saved) select.value = saved;
  }

  function linkified(text) {
    const fragment = document.createDocumentFragment();
    const pattern = /(https?:\/\/[^\s]+)/g;
    let last = 0, match;
    while ((match = pattern.exec(text)) !== null) {
      fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      const a = document.createElement("a");
      a.href = match[1]; a.textContent = match[1]; a.target = "_blank"; a.rel = "noopener noreferrer";
      fragment.appendChild(a);
      last = match.index + match[1].length;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  const TICKS = { pending: "🕓", done: "✓✓", agent: "✓✓", throttled: "✓", failed: "⚠️" };

  function meta(message) {
    const time = new Date(message.created_at).toLocaleTimeString("es-MX", { hour: "2-digit", minute: "2-digit" });
    return message.direction === "in" ? time + " " + (TICKS[message.status] || "") : time;
  }

  function render(message) {
    let item = state.seen.get(message.id);
    if (!item) {
      item = document.createElement("li");
      state.seen.set(message.id, item);
      $("messages").appendChild(item);
    }
    item.textContent = "";
    item.className = "bubble " + message.direction + (message.author === "system" ? " system" : "");
    item.dataset.status = message.status;
    for (const media of message.media) {
      if (media.type === "application/pdf") {
        const a = document.createElement("a");
        a.href = media.url; a.textContent = "📄 PDF"; a.target = "_blank";
        item.appendChild(a);
      } else {
        const img = document.createElement("img");
        img.src = media.url; img.alt = "imagen"; img.loading = "lazy";
        item.appendChild(img);
      }
    }
    if (message.body) item.appendChild(linkified(message.body));
    if (message.status === "refused" || message.status === "failed") {
      const problem = document.createElement("span");
      problem.className = "problem";
      problem.textContent = "No enviado: " + (message.error || message.status);
      item.appendChild(problem);
    }
    const info = document.createElement("span");
    info.className = "meta";
    info.textContent = meta(message);
    item.appendChild(info);
  }

  async function poll() {
    if (!state.conversation) return;
    const id = state.conversation.id;
    try {
      // pending customer messages are re-read until done, so their ticks update
      const pendings = [...state.seen.entries()].filter(([, li]) => li.dataset.status === "pending");
      const since = pendings.length ? Math.min(...pendings.map(([mid]) => mid)) - 1 : state.lastId;
      const messages = await api("/simulator/api/conversations/" + id + "/messages?after=" + since);
      if (!state.conversation || state.conversation.id !== id) return;
      const box = $("messages");
      const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
      for (const m of messages) {
        render(m);
        state.lastId = Math.max(state.lastId, m.id);
      }
      if (messages.length && atBottom) box.scrollTop = box.scrollHeight;
    } catch (error) {
      $("chat-subtitle").textContent = "Sin conexión con el servidor…";
    }
  }

  async function openChat(event) {
    event.preventDefault();
    $("setup-error").textContent = "";
    const body = { branch: $("branch").value, phone: $("phone").value, name: $("name").value };
    try {
      const conversation = await api("/simulator/api/conversations", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      localStorage.setItem("sim.branch", body.branch);
      localStorage.setItem("sim.phone", body.phone);
      localStorage.setItem("sim.name", body.name);
      state.conversation = conversation;
      state.lastId = 0;
      state.seen.clear();
      $("messages").textContent = "";
      $("chat-title").textContent = conversation.branch_name;
      const option = $("branch").selectedOptions[0];
      $("chat-subtitle").textContent = (option && option.dataset.number) || "sucursal sin número de WhatsApp";
      $("text").disabled = false; $("send").disabled = false; $("text").focus();
      clearInterval(state.timer);
      await poll();
      $("messages").scrollTop = $("messages").scrollHeight;
      state.timer = setInterval(poll, 1000);
    } catch (error) {
      $("setup-error").textContent = error.message;
    }
  }

  async function send(event) {
    event.preventDefault();
    if (!state.conversation) return;
    const text = $("text").value.trim();
    const file = $("file").files[0];
    if (!text && !file) return;
    const path = "/simulator/api/conversations/" + state.conversation.id + "/messages";
    let options;
    if (file) {
      const form = new FormData();
      form.append("text", text);
      form.append("file", file);
      options = { method: "POST", body: form };
    } else {
      options = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }) };
    }
    $("send").disabled = true;
    try {
      await api(path, options);
      $("text").value = ""; $("file").value = ""; $("file-name").textContent = "";
      await poll();
      $("messages").scrollTop = $("messages").scrollHeight;
    } catch (error) {
      $("file-name").textContent = error.message;
    } finally {
      $("send").disabled = false;
      $("text").focus();
    }
  }

  $("phone").value = localStorage.getItem("sim.phone") || randomPhone();
  $("name").value = localStorage.getItem("sim.name") || "";
  $("setup").addEventListener("submit", openChat);
  $("composer").addEventListener("submit", send);
  $("file").addEventListener("change", () => {
    const file = $("file").files[0];
    $("file-name").textContent = file ? "Adjunto: " + file.name : "";
  });
  loadBranches().catch((error) => { $("setup-error").textContent = error.message; });
})();
