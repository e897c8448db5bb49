// zhikong: progressive enhancement only; every page works without script.
document.addEventListener("DOMContentLoaded", () => {
  // Put the cursor where the user types first (login, search, the scanner input).
  const first = document.querySelector("#username, .filters input[type=search], #scan");
  if (first && !first.value) first.focus();
  refreshQr();
  camera();
});

// The resident's QR code lives minutes: fetch a fresh one before it expires.
function refreshQr() {
  const fig = document.getElementById("qr");
  if (!fig) return;
  const lifetime = Number(fig.dataset.expiresIn || 300);
  const every = Math.max(15, lifetime - 30) * 1000;
  setInterval(async () => {
    try {
      const res = await fetch("/api/v1/code/credential", { credentials: "same-origin" });
      if (!res.ok) return;
      const cred = await res.json();
      fig.querySelector(".qr-svg").innerHTML = cred.qr_svg;
      fig.dataset.text = cred.text;
      document.getElementById("qr-expires").textContent = cred.expires_at;
      const band = document.querySelector(".code-colour");
      if (band && cred.code && band.dataset.colour !== cred.code.colour) location.reload();
    } catch (_) { /* offline: keep the current code until the next try */ }
  }, every);
}

// The camera, where the browser can read QR codes itself (BarcodeDetector).
function camera() {
  const button = document.getElementById("camera");
  const video = document.getElementById("camera-view");
  const input = document.getElementById("scan");
  if (!button || !video || !input || !("BarcodeDetector" in window)) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const tick = async () => {
      const found = await detector.detect(video).catch(() => []);
      if (found.length) {
        stream.getTracks().forEach((t) => t.stop());
        input.value = found[0].rawValue;
        document.getElementById("scan-form").requestSubmit();
        return;
      }
      requestAnimationFrame(tick);
    };
    tick();
  });
}
