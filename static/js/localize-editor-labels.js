// wagtail-localize 1.14's translation editor writes two labels in English in its script, outside its
// catalogs: the screen-reader name of its footer's menu ("More actions") and the heading over the
// segments ("ไทย to English translation"). Until upstream translates them, this puts the admin's
// own words in their place. The words come from this script's data attributes, rendered from our
// catalogs (courses/translation/localize_labels.py); the script does nothing on other screens.
(() => {
  const script = document.currentScript;
  const editor = document.querySelector('.js-translation-editor');
  if (!script || !editor) return;
  const moreActions = script.dataset.moreActions;
  const heading = script.dataset.translationHeading;
  const englishHeading = /^(.+) to (.+) translation$/;

  const relabel = () => {
    const walker = document.createTreeWalker(editor.parentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue;
      if (text === 'More actions') {
        node.nodeValue = moreActions;
      } else {
        const match = englishHeading.exec(text);
        if (match) node.nodeValue = heading.replace('{source}', match[1]).replace('{target}', match[2]);
      }
    }
  };
  new MutationObserver(relabel).observe(editor.parentElement, { childList: true, subtree: true, characterData: true });
  relabel();
})();
