<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="fr">
<context>
    <name></name>
    <message>
        <location filename="../../ui/mail/printing.py" line="+153"/>
        <source>Imprimer</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../../ui/mail/receipts.py" line="+90"/>
        <source>Lu par %1 le %2</source>
        <translation>Read by %1 on %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remis à %1 le %2</source>
        <translation>Delivered to %1 on %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Non distribué à %1 : %2</source>
        <translation>Not delivered to %1: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Envoyé à %1 : %2</source>
        <translation>Sent to %1: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Envoyé à %1</source>
        <translation>Sent to %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Non distribué</source>
        <translation>Not delivered</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lu</source>
        <translation>Read</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remis</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Envoyé</source>
        <translation>Sent</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../ui/desktop/about.py" line="+74"/>
        <source>À propos</source>
        <translation>About</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Version {version}</source>
        <translation>Version {version}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Messagerie sécurisée de santé · GCS SARA</source>
        <translation>Secure health messaging · GCS SARA</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Versions</source>
        <translation>Versions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Données</source>
        <translation>Data</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Licence</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Composants tiers</source>
        <translation>Third-party components</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Copier les versions</source>
        <translation>Copy the versions</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pour les donner à l&apos;assistance</source>
        <translation>To give them to support</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Chiffrement du cache (SQLCipher)</source>
        <translation>Cache encryption (SQLCipher)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connexions sécurisées (TLS)</source>
        <translation>Secure connections (TLS)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Système</source>
        <translation>System</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Dossier des données</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vos comptes : messages enregistrés, documents, clés chiffrées, journaux.</source>
        <translation>Your accounts: saved messages, documents, encrypted keys, logs.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Dossier des paramètres</source>
        <translation>Settings folder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Les paramètres de l&apos;application (settings.json).</source>
        <translation>The application&apos;s settings (settings.json).</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Ouvrir le dossier</source>
        <translation>Open the folder</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Désinstaller l&apos;application laisse ces dossiers en place : vos données restent sur cet ordinateur. Pour les effacer, utilisez «&#xa0;Oublier ce compte sur cet ordinateur&#xa0;» dans les Paramètres, ou supprimez ces dossiers.</source>
        <translation>Uninstalling the application leaves these folders in place: your data stays on this computer. To erase it, use “Forget this account on this computer” in the Settings, or delete these folders.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>MonSisra bureau est un logiciel libre, distribué sous la {name} ({spdx}). Le texte officiel, dans toutes les langues de l&apos;Union : {url}</source>
        <translation>MonSisra bureau is free software, distributed under the {name} ({spdx}). The official text, in every language of the Union: {url}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>MonSisra bureau est construit avec des composants libres (Qt, Python, SQLCipher, OpenSSL…). Leurs licences et leurs mentions :</source>
        <translation>MonSisra bureau is built with free components (Qt, Python, SQLCipher, OpenSSL…). Their licences and notices:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Les mentions des composants tiers ne sont pas livrées avec cette installation (fichier {name} absent). Réinstallez MonSisra bureau depuis le paquet officiel, ou signalez-le à l&apos;assistance.</source>
        <translation>The third-party notices are not shipped with this installation (file {name} missing). Reinstall MonSisra bureau from the official package, or tell support.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Chargement…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>inconnue</source>
        <translation>unknown</translation>
    </message>
</context>
<context>
    <name>AccessLog</name>
    <message>
        <location filename="../../ui/patients/access_log.py" line="+52"/>
        <source>A trouvé le patient par une recherche dans l&apos;annuaire</source>
        <translation>Found the patient by a directory search</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A consulté le dossier</source>
        <translation>Read the record</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A consulté les acteurs du dossier</source>
        <translation>Read the record&apos;s care team</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A ouvert le dossier sur le portail</source>
        <translation>Opened the record on the portal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A retiré le patient de sa file active</source>
        <translation>Removed the patient from their active list</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A déposé un document dans le dossier</source>
        <translation>Filed a document in the record</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A consulté la liste des documents</source>
        <translation>Read the list of documents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A ouvert un document du dossier</source>
        <translation>Opened a document of the record</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A ajouté le patient à sa file active : {reason}</source>
        <translation>Added the patient to their active list: {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A créé le dossier et suit le patient : {reason}</source>
        <translation>Created the record and follows the patient: {reason}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A accédé au dossier</source>
        <translation>Accessed the record</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{day} à {time}</source>
        <translation>{day} at {time}</translation>
    </message>
</context>
<context>
    <name>AccessLogPanel</name>
    <message>
        <location line="+69"/>
        <source>Afficher les accès plus anciens</source>
        <translation>Show older accesses</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Le journal des accès est visible des professionnels qui suivent ce patient.</source>
        <translation>The access log is visible to the professionals who follow this patient.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Chargement du journal des accès…</source>
        <translation>Loading the access log…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Aucun accès enregistré.</source>
        <translation>No access recorded.</translation>
    </message>
</context>
<context>
    <name>AccountCard</name>
    <message>
        <location filename="../../ui/desktop/settings_server.py" line="+40"/>
        <source>Compte et serveur</source>
        <translation>Account and server</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Adresse du serveur</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Un changement prend effet à la prochaine connexion.</source>
        <translation>A change takes effect the next time you sign in.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tester la connexion</source>
        <translation>Test the connection</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Identifiant</source>
        <translation>Username</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Oublier ce compte sur cet ordinateur…</source>
        <translation>Forget this account on this computer…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sur un poste partagé : efface d&apos;ici vos messages, documents et brouillons, et la connexion mémorisée. Vos messages restent sur le serveur.</source>
        <translation>On a shared computer: erases your messages, documents and drafts from here, and the remembered login. Your messages stay on the server.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>aucun compte ouvert</source>
        <translation>no account open</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Connexion au serveur…</source>
        <translation>Connecting to the server…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Le serveur répond ; son certificat a été vérifié.</source>
        <translation>The server answers; its certificate was verified.</translation>
    </message>
</context>
<context>
    <name>AttachmentChip</name>
    <message>
        <location filename="../../ui/file_dialogs.py" line="+53"/>
        <source>Enregistrer le document</source>
        <translation>Save the document</translation>
    </message>
    <message>
        <location filename="../../ui/mail/documents.py" line="+59"/>
        <source>document</source>
        <translation>document</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Double-cliquez pour ouvrir ; glissez vers le bureau pour copier le document.</source>
        <translation>Double-click to open; drag to the desktop to copy the document.</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Ce type de fichier peut exécuter un programme : il ne peut pas être ouvert depuis MonSisra bureau. Enregistrez-le et faites-le vérifier avant de l&apos;ouvrir.</source>
        <translation>This type of file can run a program: it cannot be opened from MonSisra bureau. Save it and have it checked before opening it.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Enregistrez ce fichier pour le faire vérifier.</source>
        <translation>Save this file to have it checked.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Enregistrer…</source>
        <translation>Save…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Ouvrir</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enregistrer sous…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Message transféré</source>
        <translation>Forwarded message</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Disponible hors connexion</source>
        <translation>Available offline</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>À télécharger (connexion nécessaire)</source>
        <translation>To download (connection needed)</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>(sans objet)</source>
        <translation>(no subject)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message : {subject}</source>
        <translation>Message: {subject}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>De : {sender}</source>
        <translation>From: {sender}</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Document enregistré : {name}</source>
        <translation>Document saved: {name}</translation>
    </message>
</context>
<context>
    <name>AutoLock</name>
    <message>
        <location filename="../../ui/login/locked.py" line="+26"/>
        <source>Session verrouillée.</source>
        <translation>Session locked.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Session verrouillée après {delay} d&apos;inactivité : saisissez votre mot de passe.</source>
        <translation>Session locked after {delay} of inactivity: enter your password.</translation>
    </message>
</context>
<context>
    <name>Browser</name>
    <message>
        <location filename="../../ui/browser.py" line="+37"/>
        <source>Lien</source>
        <translation>Link</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aucun navigateur n&apos;a pu ouvrir ce lien.</source>
        <translation>No browser could open this link.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Installez un navigateur web ou choisissez-en un par défaut dans les paramètres de votre système, ou copiez le lien pour l&apos;ouvrir vous-même : {url}</source>
        <translation>Install a web browser or choose a default one in your system settings, or copy the link to open it yourself: {url}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copier le lien</source>
        <translation>Copy the link</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Aucune application n&apos;est installée pour ouvrir les fichiers {kind} sur cet ordinateur.</source>
        <translation>No application is installed to open {kind} files on this computer.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Aucune application n&apos;est installée pour ouvrir ce document sur cet ordinateur.</source>
        <translation>No application is installed to open this document on this computer.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Ouvrir le document</source>
        <translation>Open the document</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enregistrez-le pour l&apos;ouvrir avec un autre programme ou le transmettre, ou installez une application qui lit ce type de fichier.</source>
        <translation>Save it to open it with another program or to pass it on, or install an application that reads this type of file.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Enregistrer sous…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Le dossier du patient n&apos;est pas disponible hors connexion.</source>
        <translation>The patient&apos;s file is not available offline.</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+8"/>
        <source>Le dossier du patient s&apos;ouvre dans votre navigateur.</source>
        <translation>The patient&apos;s file is opening in your browser.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Aide</source>
        <translation>Help</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>La réponse de la FAQ, dans votre navigateur</source>
        <translation>The FAQ&apos;s answer, in your browser</translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <location filename="../../ui/teleconsultations/cancel_dialog.py" line="+26"/>
        <location line="+23"/>
        <source>Annuler la téléconsultation</source>
        <translation>Cancel the teleconsultation</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Annuler la téléconsultation du {day}, {hours}, avec {patient} ?</source>
        <translation>Cancel the teleconsultation of {day}, {hours}, with {patient}?</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Le patient et les autres participants sont prévenus, avec le motif.</source>
        <translation>The patient and the other participants are told, with the reason.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Motif de l&apos;annulation (facultatif)</source>
        <translation>Reason for cancelling (optional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ne pas annuler</source>
        <translation>Do not cancel</translation>
    </message>
</context>
<context>
    <name>CareTeamSection</name>
    <message>
        <location filename="../../ui/patients/care_team.py" line="+65"/>
        <source>Chargement de l&apos;équipe de soins…</source>
        <translation>Loading the care team…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Aucun professionnel n&apos;est encore rattaché à ce dossier.</source>
        <translation>No professional is linked to this record yet.</translation>
    </message>
</context>
<context>
    <name>CertificatesCard</name>
    <message>
        <location filename="../../ui/desktop/settings_server.py" line="+17"/>
        <source>Certificats d&apos;autorité supplémentaires (IGC Santé)</source>
        <translation>Additional certificate authorities (IGC Santé)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>En plus des autorités de cet ordinateur, pour un serveur dont le certificat vient de l&apos;IGC Santé ou de votre établissement (fichier PEM de votre service informatique).</source>
        <translation>Besides this computer&apos;s authorities, for a server whose certificate comes from IGC Santé or from your organisation (a PEM file from your IT department).</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Retirer</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Choisir un fichier…</source>
        <translation>Choose a file…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Certificats d&apos;autorité supplémentaires</source>
        <translation>Additional certificate authorities</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificats (*.pem *.crt *.cer);;Tous les fichiers (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Aucun fichier choisi</source>
        <translation>No file chosen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Autorités ajoutées : {names}</source>
        <translation>Authorities added: {names}</translation>
    </message>
</context>
<context>
    <name>Chip</name>
    <message>
        <location filename="../../ui/composer/chips.py" line="+128"/>
        <source>Retirer</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retirer %1</source>
        <translation>Remove %1</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../ui/composer/composer.py" line="+174"/>
        <source>Document introuvable, retiré du brouillon : </source>
        <translation>Document not found, removed from the draft: </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documents introuvables, retirés du brouillon : </source>
        <translation>Documents not found, removed from the draft: </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Modifié</source>
        <translation>Modified</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Brouillon enregistré</source>
        <translation>Draft saved</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Brouillon non enregistré</source>
        <translation>Draft not saved</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Envoi en cours : la fenêtre se fermera une fois le message parti.</source>
        <translation>Sending: this window will close once the message has gone.</translation>
    </message>
    <message>
        <location line="+165"/>
        <source>Envoi en cours…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Envoi terminé</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Le message n&apos;a pas pu être envoyé</source>
        <translation>The message could not be sent</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> Il reste dans la boîte d&apos;envoi.</source>
        <translation> It remains in the outbox.</translation>
    </message>
</context>
<context>
    <name>ComposerTrust</name>
    <message>
        <location filename="../../ui/composer/trust.py" line="+20"/>
        <source>hors espace de confiance</source>
        <translation>outside the trust space</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Le domaine « %1 » n&apos;est pas dans la liste blanche de l&apos;espace de confiance MSSanté : aucun message ne peut y être envoyé.</source>
        <translation>The domain “%1” is not on the whitelist of the MSSanté trust space: no message can be sent there.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>La liste de l&apos;espace de confiance MSSanté n&apos;a pas encore été reçue : cette adresse n&apos;a pas pu être vérifiée, l&apos;envoi reste possible.</source>
        <translation>The list of the MSSanté trust space has not been received yet: this address could not be checked; sending is still possible.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Envoi impossible : %1 est hors de l&apos;espace de confiance MSSanté. La messagerie sécurisée de santé n&apos;échange qu&apos;avec les domaines de sa liste blanche : retirez ce destinataire ou vérifiez son adresse dans l&apos;annuaire. Votre message est conservé.</source>
        <translation>Cannot send: %1 is outside the MSSanté trust space. Secure health messaging only exchanges with the domains on its whitelist: remove this recipient or check their address in the directory. Your message is kept.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Envoi impossible : %1 sont hors de l&apos;espace de confiance MSSanté. La messagerie sécurisée de santé n&apos;échange qu&apos;avec les domaines de sa liste blanche : retirez ces destinataires ou vérifiez leurs adresses dans l&apos;annuaire. Votre message est conservé.</source>
        <translation>Cannot send: %1 are outside the MSSanté trust space. Secure health messaging only exchanges with the domains on its whitelist: remove these recipients or check their addresses in the directory. Your message is kept.</translation>
    </message>
</context>
<context>
    <name>ComposerView</name>
    <message>
        <location filename="../../ui/composer/view.py" line="+54"/>
        <location line="+186"/>
        <source>Nouveau message</source>
        <translation>New message</translation>
    </message>
    <message>
        <location line="-166"/>
        <location line="+253"/>
        <source>Envoyer</source>
        <translation>Send</translation>
    </message>
    <message>
        <location line="-251"/>
        <source>Envoyer (Ctrl+Entrée)</source>
        <translation>Send (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Insérer un document</source>
        <translation>Insert a document</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Patient…</source>
        <translation>Patient…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choisir le patient concerné</source>
        <translation>Choose the patient concerned</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rechercher un destinataire</source>
        <translation>Search for a recipient</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Supprimer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Supprimer ce brouillon et fermer</source>
        <translation>Delete this draft and close</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Aucun patient — choisir…</source>
        <translation>No patient — choose…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Objet du message</source>
        <translation>Message subject</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>À</source>
        <translation>To</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cc</source>
        <translation>Cc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Objet</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le patient ne peut pas répondre</source>
        <translation>The patient cannot reply</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mon espace santé ne proposera pas au patient de répondre à ce message.</source>
        <translation>Mon espace santé will not offer the patient to reply to this message.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Demander un accusé de lecture</source>
        <translation>Request a read receipt</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Votre message…</source>
        <translation>Your message…</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>Envoi en cours…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>« %1 » n&apos;est pas une adresse : choisissez un destinataire proposé.</source>
        <translation>“%1” is not an address: choose one of the suggested recipients.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ajoutez au moins un destinataire.</source>
        <translation>Add at least one recipient.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Document introuvable : </source>
        <translation>Document not found: </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Ce message n&apos;a ni objet ni texte. L&apos;envoyer quand même&#xa0;?</source>
        <translation>This message has neither a subject nor any text. Send it anyway?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ce message n&apos;a pas d&apos;objet. L&apos;envoyer quand même&#xa0;?</source>
        <translation>This message has no subject. Send it anyway?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vous n&apos;avez rien écrit dans ce message. L&apos;envoyer quand même&#xa0;?</source>
        <translation>You have not written anything in this message. Send it anyway?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Envoyer quand même</source>
        <translation>Send anyway</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revenir au message</source>
        <translation>Back to the message</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <location filename="../../ui/shell/leaving.py" line="+112"/>
        <source>Votre session Pro Santé Connect a pris fin : reconnectez-vous avec Pro Santé Connect. Vos messages non envoyés sont conservés.</source>
        <translation>Your Pro Santé Connect session has ended: sign in again with Pro Santé Connect. Your unsent messages are kept.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Session fermée. Votre mot de passe sera demandé à la prochaine connexion.</source>
        <translation>Session closed. Your password will be asked at the next login.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Session fermée sur cet ordinateur, mais le serveur, injoignable, n&apos;a pas été prévenu : reconnectez-vous puis déconnectez-vous pour y fermer la session.</source>
        <translation>Session closed on this computer, but the server, unreachable, was not told: log in again then sign out to close the session there.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Le compte {login} a été oublié : ses messages, brouillons et documents ont été effacés de cet ordinateur.</source>
        <translation>The account {login} was forgotten: its messages, drafts and documents were erased from this computer.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Le serveur, injoignable, n&apos;a pas été prévenu : la session y expirera d&apos;elle-même.</source>
        <translation>The server could not be reached to be told: the session there will expire by itself.</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <location filename="../../ui/mail/conversation_delegate.py" line="+96"/>
        <source>À : </source>
        <translation>To: </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(expéditeur inconnu)</source>
        <translation>(unknown sender)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>(sans objet)</source>
        <translation>(no subject)</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <location filename="../../ui/mail/conversations.py" line="+39"/>
        <source>Récents d&apos;abord</source>
        <translation>Newest first</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Anciens d&apos;abord</source>
        <translation>Oldest first</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expéditeur</source>
        <translation>Sender</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Objet</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Non lus</source>
        <translation>Unread</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avec pièces jointes</source>
        <translation>With attachments</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>Filtré : {name}  ✕</source>
        <translation>Filtered: {name}  ✕</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Seuls les messages de {name} sont listés. Cliquez pour tout voir.</source>
        <translation>Only the messages about {name} are listed. Click to see them all.</translation>
    </message>
    <message>
        <location line="-87"/>
        <source>Trier par</source>
        <translation>Sort by</translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+104"/>
        <source>Aucun message.</source>
        <translation>No messages.</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>{n} résultat pour « {text} »</source>
        <translation>{n} result for “{text}”</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{n} résultats pour « {text} »</source>
        <translation>{n} results for “{text}”</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Aucun message ne correspond à la recherche.</source>
        <translation>No message matches your search.</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Messages de ce patient ({name})</source>
        <translation>Messages about this patient ({name})</translation>
    </message>
</context>
<context>
    <name>ConversationPrint</name>
    <message>
        <location filename="../../ui/mail/printing.py" line="-73"/>
        <source>(sans objet)</source>
        <translation>(no subject)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Patient : </source>
        <translation>Patient: </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>De : </source>
        <translation>From: </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>À : </source>
        <translation>To: </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cc : </source>
        <translation>Cc: </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Date : </source>
        <translation>Date: </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Objet : </source>
        <translation>Subject: </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Documents :</source>
        <translation>Documents:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>document</source>
        <translation>document</translation>
    </message>
</context>
<context>
    <name>CreatePatientForm</name>
    <message>
        <location filename="../../ui/patients/create_form.py" line="+60"/>
        <source>Créer le dossier du patient</source>
        <translation>Create the patient&apos;s record</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Facultatif</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>JJ/MM/AAAA</source>
        <translation>DD/MM/YYYY</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Facultatif : 15 caractères</source>
        <translation>Optional: 15 characters</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nom de naissance</source>
        <translation>Birth name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nom d&apos;usage</source>
        <translation>Used name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prénom</source>
        <translation>First name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date de naissance</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sexe</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>INS</source>
        <translation>INS</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Créer et suivre</source>
        <translation>Create and follow</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Le nom et le prénom sont obligatoires.</source>
        <translation>Last name and first name are required.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Indiquez la date de naissance sous la forme JJ/MM/AAAA.</source>
        <translation>Enter the date of birth as DD/MM/YYYY.</translation>
    </message>
</context>
<context>
    <name>DelegationCard</name>
    <message>
        <location filename="../../ui/desktop/settings_delegation.py" line="+44"/>
        <source>Délégation de la planification</source>
        <translation>Scheduling delegation</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Les personnes qui peuvent planifier, modifier et annuler vos téléconsultations en votre nom (un secrétariat, un confrère). Chaque changement est enregistré aussitôt sur le serveur.</source>
        <translation>The people who may schedule, edit and cancel your teleconsultations on your behalf (a secretary, a colleague). Each change is saved on the server at once.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>ou son adresse MSSanté</source>
        <translation>or their MSSanté address</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Adresse MSSanté de la personne à ajouter</source>
        <translation>MSSanté address of the person to add</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ajouter…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choisir la personne dans l&apos;annuaire</source>
        <translation>Choose the person in the directory</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ajouter cette adresse</source>
        <translation>Add this address</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+112"/>
        <location line="+10"/>
        <source>Retirer</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="-101"/>
        <source>Connectez-vous pour gérer votre délégation.</source>
        <translation>Sign in to manage your delegation.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Personne ne planifie vos téléconsultations à votre place.</source>
        <translation>Nobody schedules your teleconsultations on your behalf.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Qui peut planifier pour vous ?</source>
        <translation>Who may schedule for you?</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Retirer à {name} la planification de vos téléconsultations ?</source>
        <translation>Stop {name} from scheduling your teleconsultations?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cette personne ne pourra plus planifier, modifier ni annuler de téléconsultation en votre nom.</source>
        <translation>This person will no longer be able to schedule, edit or cancel teleconsultations on your behalf.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Directory</name>
    <message>
        <location filename="../../ui/directory/model.py" line="+195"/>
        <source>Établissement</source>
        <translation>Healthcare facility</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Équipe ressource</source>
        <translation>Resource team</translation>
    </message>
    <message>
        <location filename="../../ui/mailbox_types.py" line="+12"/>
        <source>boîte personnelle</source>
        <translation>personal mailbox</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>boîte de cabinet</source>
        <translation>practice mailbox</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>boîte organisationnelle</source>
        <translation>organisational mailbox</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>boîte applicative</source>
        <translation>application mailbox</translation>
    </message>
    <message>
        <location filename="../../ui/directory/model.py" line="+40"/>
        <source>Tél. {number}</source>
        <translation>Tel. {number}</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>Expert</source>
        <translation>Expert</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Pas de messagerie sécurisée connue</source>
        <translation>No known secure messaging address</translation>
    </message>
</context>
<context>
    <name>DirectoryDialog</name>
    <message>
        <location filename="../../ui/directory/dialog.py" line="+25"/>
        <source>Rechercher un destinataire</source>
        <translation>Search for a recipient</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choisir</source>
        <translation>Choose</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>DirectorySearch</name>
    <message>
        <location filename="../../ui/patients/directory_search.py" line="+37"/>
        <source>Rechercher</source>
        <translation>Search</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Ce patient ne possède pas de dossier ?</source>
        <translation>This patient has no record?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Créer le dossier</source>
        <translation>Create the record</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>L&apos;annuaire patient régional n&apos;est pas disponible hors connexion.</source>
        <translation>The regional patient directory is not available offline.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Recherche dans l&apos;annuaire patient régional…</source>
        <translation>Searching the regional patient directory…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Aucun patient de l&apos;annuaire régional ne correspond à ces critères.</source>
        <translation>No patient in the regional directory matches these criteria.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Les {n} premiers patients trouvés : d&apos;autres correspondent, précisez le prénom ou cherchez par INS.</source>
        <translation>The first {n} patients found: others match, add the first name or search by INS.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>1 patient trouvé.</source>
        <translation>1 patient found.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} patients trouvés.</source>
        <translation>{n} patients found.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Dossier de {name} créé et ajouté à votre file active.</source>
        <translation>Record of {name} created and added to your active list.</translation>
    </message>
</context>
<context>
    <name>DirectoryView</name>
    <message>
        <location filename="../../ui/directory/view.py" line="+84"/>
        <source>Rechercher un correspondant</source>
        <translation>Find a correspondent</translation>
    </message>
    <message>
        <location line="+50"/>
        <location line="+234"/>
        <source>Écrire</source>
        <translation>Write</translation>
    </message>
    <message>
        <location line="-233"/>
        <source>Copier l&apos;adresse</source>
        <translation>Copy address</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Demander une téléexpertise</source>
        <translation>Request a tele-expertise</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Voir l&apos;équipe</source>
        <translation>View the team</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Recherche en cours…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>1 résultat</source>
        <translation>1 result</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} résultats</source>
        <translation>{n} results</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{count} dans les départements autour de votre lieu d&apos;exercice (l&apos;annuaire ne propose pas la recherche par distance)</source>
        <translation>{count} in the départements around your practice (the directory does not search by distance)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Vos favoris et vos correspondants récents</source>
        <translation>Your favourites and recent correspondents</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Ajouté à vos favoris.</source>
        <translation>Added to your favourites.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Retiré de vos favoris.</source>
        <translation>Removed from your favourites.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Numéro copié : {number}</source>
        <translation>Number copied: {number}</translation>
    </message>
    <message>
        <location line="+44"/>
        <location line="+4"/>
        <source>Écrire à {name}</source>
        <translation>Write to {name}</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Adresse copiée.</source>
        <translation>Address copied.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Adresses copiées.</source>
        <translation>Addresses copied.</translation>
    </message>
</context>
<context>
    <name>DocumentList</name>
    <message>
        <location filename="../../ui/documents.py" line="+195"/>
        <source>Déposez ici les documents à joindre, ou cliquez pour insérer un document.</source>
        <translation>Drop the documents to attach here, or click to insert a document.</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>document</source>
        <translation>document</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>documents</source>
        <translation>documents</translation>
    </message>
</context>
<context>
    <name>DocumentPreview</name>
    <message>
        <location filename="../../ui/mail/preview.py" line="+102"/>
        <source>Aperçu de {name}</source>
        <translation>Preview of {name}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Afficher l&apos;aperçu</source>
        <translation>Show the preview</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le document n&apos;est pas encore sur cet ordinateur : il sera téléchargé.</source>
        <translation>The document is not on this computer yet: it will be downloaded.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Chargement de l&apos;aperçu…</source>
        <translation>Loading the preview…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Cliquez pour ouvrir le document</source>
        <translation>Click to open the document</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Aperçu indisponible</source>
        <translation>Preview unavailable</translation>
    </message>
</context>
<context>
    <name>DocumentRow</name>
    <message>
        <location filename="../../ui/documents.py" line="-97"/>
        <source>Type de document</source>
        <translation>Document type</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Retirer le document</source>
        <translation>Remove the document</translation>
    </message>
</context>
<context>
    <name>DocumentTypeDialog</name>
    <message>
        <location line="-101"/>
        <source>Type de document</source>
        <translation>Document type</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>De quel type de document s&apos;agit-il ?</source>
        <translation>What type of document is this?</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Insérer</source>
        <translation>Insert</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>DocumentsCard</name>
    <message>
        <location filename="../../ui/desktop/settings_local.py" line="+33"/>
        <source>Documents hors connexion</source>
        <translation>Offline documents</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Place réservée aux documents</source>
        <translation>Space reserved for documents</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> jours</source>
        <translation> days</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Télécharger à l&apos;avance les documents reçus depuis</source>
        <translation>Download ahead the documents received in the last</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Gardés chiffrés sur cet ordinateur pour rester consultables hors connexion, les plus récents d&apos;abord. Au-delà de la place réservée, les plus anciens sont retirés dès l&apos;enregistrement (téléchargés de nouveau au besoin).</source>
        <translation>Kept encrypted on this computer so that they can be read offline, the newest first. Beyond the reserved space, the oldest are removed as soon as you save (downloaded again when needed).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Gardés chiffrés sur cet ordinateur pour rester consultables hors connexion. La nouvelle place s&apos;applique à la prochaine connexion.</source>
        <translation>Kept encrypted on this computer so that they can be read offline. The new space applies at the next sign-in.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Utilisé actuellement : {used} sur {budget}.</source>
        <translation>Currently used: {used} of {budget}.</translation>
    </message>
</context>
<context>
    <name>DocumentsSection</name>
    <message>
        <location filename="../../ui/patients/documents.py" line="+124"/>
        <source>Ouvrir</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ouvrir le document choisi</source>
        <translation>Open the chosen document</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Chargement des documents…</source>
        <translation>Loading the documents…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Hors connexion : seuls les documents reçus par message sont listés. Ceux du dossier sur le serveur régional reviendront avec la connexion.</source>
        <translation>Offline: only the documents received by message are listed. Those of the record on the regional server will come back with the connection.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Suivez ce patient pour voir les documents déposés dans son dossier ; seuls les documents reçus par message sont listés.</source>
        <translation>Follow this patient to see the documents filed in their record; only the documents received by message are listed.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Aucun document pour ce patient : ni déposé dans son dossier, ni reçu par message.</source>
        <translation>No document for this patient: none filed in their record, none received by message.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Ouverture de « {name} »…</source>
        <translation>Opening “{name}”…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Document enregistré : {name}</source>
        <translation>Document saved: {name}</translation>
    </message>
</context>
<context>
    <name>DraftDeletion</name>
    <message>
        <location filename="../../ui/mail/drafts.py" line="+45"/>
        <source>Supprimer le brouillon</source>
        <translation>Delete draft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supprimer ce brouillon ?</source>
        <translation>Delete this draft?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(sans objet)</source>
        <translation>(no subject)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Supprimer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>EditDialog</name>
    <message>
        <location filename="../../ui/teleconsultations/edit_form.py" line="+51"/>
        <location line="+1"/>
        <source>Modifier la téléconsultation</source>
        <translation>Edit the teleconsultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Le patient et les participants reçoivent l&apos;invitation modifiée ; ceux que vous retirez sont prévenus.</source>
        <translation>The patient and the participants receive the updated invitation; those you remove are told.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Moi-même</source>
        <translation>Myself</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Enregistrement…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Aucune modification à enregistrer.</source>
        <translation>No change to save.</translation>
    </message>
</context>
<context>
    <name>ExpertProfileDialog</name>
    <message>
        <location filename="../../ui/teleexpertise/declare.py" line="+56"/>
        <location line="+5"/>
        <source>Se déclarer comme télé-expert</source>
        <translation>Declare yourself as a tele-expert</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Votre activité d&apos;expertise : ce sur quoi vos confrères vous sollicitent</source>
        <translation>Your expertise: what colleagues may ask you about</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Un document par ligne, par exemple : dernier bilan biologique</source>
        <translation>One document per line, for example: latest blood test results</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Non précisé</source>
        <translation>Not specified</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> jours</source>
        <translation> days</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Apparaître dans l&apos;annuaire des experts</source>
        <translation>Appear in the experts directory</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ne plus être télé-expert</source>
        <translation>Stop being a tele-expert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Description de l&apos;activité</source>
        <translation>Description of the activity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Spécialités proposées</source>
        <translation>Specialties offered</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documents prérequis à la demande</source>
        <translation>Documents required with a request</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Délai de réponse</source>
        <translation>Response time</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Enregistrement…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Retrait…</source>
        <translation>Withdrawing…</translation>
    </message>
</context>
<context>
    <name>FileActiveList</name>
    <message>
        <location filename="../../ui/patients/file_active.py" line="+31"/>
        <source>Filtrer ma file active : nom, date de naissance, INS</source>
        <translation>Filter my active list: name, date of birth, INS</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Aucun patient de votre file active ne correspond à « {text} ».</source>
        <translation>No patient in your active list matches “{text}”.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Aucun patient dans votre file active.</source>
        <translation>No patient in your active list.</translation>
    </message>
</context>
<context>
    <name>FollowReasonDialog</name>
    <message>
        <location filename="../../ui/patients/follow_reason.py" line="+45"/>
        <source>Motif du suivi</source>
        <translation>Reason for following</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Pourquoi suivez-vous {name} ?</source>
        <translation>Why do you follow {name}?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Le motif est inscrit, avec votre nom et la date, au journal des accès du dossier, que les professionnels qui suivent ce patient peuvent consulter.</source>
        <translation>The reason is written, with your name and the date, in the record&apos;s access log, which the professionals who follow this patient can read.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Following</name>
    <message>
        <location filename="../../ui/patients/following.py" line="+62"/>
        <source>Suivre</source>
        <translation>Follow</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{name} est dans votre file active.</source>
        <translation>{name} is in your active list.</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+8"/>
        <source>Ne plus suivre</source>
        <translation>Stop following</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Retirer {name} de votre file active ?</source>
        <translation>Remove {name} from your active list?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Le dossier du patient reste dans l&apos;annuaire régional ; vous pourrez le suivre à nouveau.</source>
        <translation>The patient&apos;s record stays in the regional directory; you can follow it again.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{name} n&apos;est plus dans votre file active.</source>
        <translation>{name} is no longer in your active list.</translation>
    </message>
</context>
<context>
    <name>HeldLine</name>
    <message>
        <location filename="../../ui/mail/undo_send.py" line="+46"/>
        <source>Annuler</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ne pas envoyer ce message et le rouvrir pour le modifier</source>
        <translation>Do not send this message, and open it again to edit it</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Envoi dans {n} s…</source>
        <translation>Sending in {n} s…</translation>
    </message>
</context>
<context>
    <name>HeldSends</name>
    <message>
        <location line="+69"/>
        <source>Annuler l&apos;envoi</source>
        <translation>Cancel sending</translation>
    </message>
</context>
<context>
    <name>HomeLists</name>
    <message>
        <location filename="../../ui/directory/home.py" line="+45"/>
        <source>Aucun favori pour l&apos;instant. Cliquez sur l&apos;étoile à côté d&apos;un professionnel pour l&apos;ajouter à vos favoris.</source>
        <translation>No favourites yet. Click the star next to a professional to add them to your favourites.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Les correspondants à qui vous écrivez apparaîtront ici.</source>
        <translation>The correspondents you write to will appear here.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Favoris</source>
        <translation>Favourites</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correspondants récents</source>
        <translation>Recent correspondents</translation>
    </message>
</context>
<context>
    <name>Inserter</name>
    <message>
        <location filename="../../ui/inserting.py" line="+92"/>
        <source>Insérer un document</source>
        <translation>Insert a document</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>« %1 » n&apos;est pas un fichier.</source>
        <translation>“%1” is not a file.</translation>
    </message>
</context>
<context>
    <name>JournalDialog</name>
    <message>
        <location filename="../../ui/desktop/journal.py" line="+103"/>
        <location line="+11"/>
        <source>Journal</source>
        <translation>Log</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Les dernières lignes du journal de MonSisra. À transmettre au support : ne contient ni mot de passe ni donnée patient.</source>
        <translation>The latest lines of MonSisra&apos;s log, to send to support: it contains no password and no patient data.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Tout</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avertissements et erreurs</source>
        <translation>Warnings and errors</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Afficher</source>
        <translation>Show</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Copier</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enregistrer…</source>
        <translation>Save…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Aucune ligne pour l&apos;instant.</source>
        <translation>No lines yet.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>aucune ligne</source>
        <translation>no lines</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 ligne</source>
        <translation>1 line</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} lignes</source>
        <translation>{n} lines</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Journal copié dans le presse-papiers.</source>
        <translation>Log copied to the clipboard.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Enregistrer le journal</source>
        <translation>Save the log</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Texte (*.txt)</source>
        <translation>Text (*.txt)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Le journal n&apos;a pas pu être enregistré à cet endroit. Choisissez un autre dossier.</source>
        <translation>The log could not be saved there. Choose another folder.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Journal enregistré : {name}</source>
        <translation>Log saved: {name}</translation>
    </message>
</context>
<context>
    <name>LocalDrafts</name>
    <message>
        <location filename="../../ui/mail/drafts.py" line="+46"/>
        <source>Reprendre</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Supprimer…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Sur cet ordinateur (pas encore sur le serveur) : {n}</source>
        <translation>On this computer (not on the server yet): {n}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(brouillon d&apos;une version plus récente)</source>
        <translation>(draft from a newer version)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(sans objet)</source>
        <translation>(no subject)</translation>
    </message>
</context>
<context>
    <name>LocationCard</name>
    <message>
        <location filename="../../ui/desktop/settings_location.py" line="+50"/>
        <source>Lieu d&apos;exercice</source>
        <translation>Place of practice</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Point de départ de la recherche « autour de moi » dans l&apos;annuaire.</source>
        <translation>Starting point of the “near me” directory search.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Retirer</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Code postal ou commune</source>
        <translation>Postcode or town</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Changer de lieu</source>
        <translation>Change location</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Aucun lieu choisi</source>
        <translation>No location chosen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>L&apos;annuaire cherche alors autour du centre de Lyon. Tapez un code postal ou une commune ci-dessous.</source>
        <translation>The directory then searches around the centre of Lyon. Type a postcode or a town below.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Lieu sans nom</source>
        <translation>Unnamed location</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Proposé d&apos;après votre fiche de l&apos;annuaire : {source}.</source>
        <translation>Suggested from your directory entry: {source}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choisi par vous.</source>
        <translation>Chosen by you.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>votre cabinet</source>
        <translation>your practice</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Connectez-vous pour chercher une commune dans l&apos;annuaire.</source>
        <translation>Sign in to look up a town in the directory.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>La recherche d&apos;une commune a besoin de la connexion au serveur.</source>
        <translation>Looking up a town needs the connection to the server.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Recherche…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Aucune commune de l&apos;annuaire ne correspond.</source>
        <translation>No town in the directory matches.</translation>
    </message>
</context>
<context>
    <name>LockedLoginWindow</name>
    <message>
        <location filename="../../ui/login/locked.py" line="+18"/>
        <source>Session verrouillée</source>
        <translation>Session locked</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Déverrouiller</source>
        <translation>Unlock</translation>
    </message>
</context>
<context>
    <name>LoginForm</name>
    <message>
        <location filename="../../ui/login/form.py" line="+40"/>
        <source>Connexion</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Fichiers de l&apos;application manquants : {files}. Réinstallez MonSisra bureau.</source>
        <translation>Application files missing: {files}. Reinstall MonSisra bureau.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Compte de démonstration :&lt;br&gt;&lt;b&gt;{login}&lt;/b&gt; / &lt;b&gt;{password}&lt;/b&gt;</source>
        <translation>Demo account:&lt;br&gt;&lt;b&gt;{login}&lt;/b&gt; / &lt;b&gt;{password}&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Se connecter</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>MonSisra</source>
        <translation>MonSisra</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Messagerie sécurisée de santé</source>
        <translation>Secure health messaging</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Paramètres</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Paramètres de connexion : serveur, certificats</source>
        <translation>Connection settings: server, certificates</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>À propos</source>
        <translation>About</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Version, licences et dossier des données de MonSisra bureau</source>
        <translation>Version, licences and data folder of MonSisra bureau</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>prenom.nom</source>
        <translation>firstname.lastname</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Serveur</source>
        <translation>Server</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Identifiant</source>
        <translation>Username</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Se souvenir de moi</source>
        <translation>Remember me</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Garde la session ouverte sur cet ordinateur (dans le trousseau du système). Votre mot de passe reste demandé pour déverrouiller vos données.</source>
        <translation>Keeps you signed in on this computer (in the system keyring). Your password is still required to unlock your data.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Aucun trousseau sécurisé n&apos;est disponible : la connexion ne peut pas être mémorisée, votre mot de passe sera demandé à chaque lancement. Installez ou déverrouillez le trousseau de votre session (GNOME Keyring, KWallet…), puis relancez MonSisra bureau.</source>
        <translation>No secure keyring is available: the connection cannot be remembered, and your password will be asked at each launch. Install or unlock your session&apos;s keyring (GNOME Keyring, KWallet…), then restart MonSisra bureau.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Ouvrir hors ligne malgré tout</source>
        <translation>Open offline anyway</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ouvre les messages enregistrés sur cet ordinateur sans rien envoyer à ce serveur. La connexion est retentée régulièrement, avec les mêmes vérifications.</source>
        <translation>Opens the messages saved on this computer without sending anything to this server. The connection is tried again regularly, with the same checks.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Compte Pro Santé Connect : hors connexion, déverrouillez avec votre phrase de déverrouillage (celle choisie à votre première connexion sur cet ordinateur).</source>
        <translation>Pro Santé Connect account: offline, unlock with your unlock passphrase (the one chosen at your first sign-in on this computer).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Connexion et déverrouillage de vos données…</source>
        <translation>Signing in and unlocking your data…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Pas encore d&apos;identifiants ?</source>
        <translation>No account yet?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Créer un compte Sara</source>
        <translation>Create a Sara account</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>MonSisra bureau · messagerie MSSanté de votre région</source>
        <translation>MonSisra bureau · your region&apos;s MSSanté secure messaging</translation>
    </message>
</context>
<context>
    <name>LoginWindow</name>
    <message>
        <location filename="../../ui/login/window.py" line="+373"/>
        <source>Mode hors connexion : le serveur ne répond pas. Vous pouvez ouvrir votre compte hors ligne et consulter les messages enregistrés sur cet ordinateur.</source>
        <translation>Offline mode: the server is not responding. You can open your account offline and read the messages saved on this computer.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mode hors connexion : le serveur ne répond pas. Vérifiez votre connexion à Internet.</source>
        <translation>Offline mode: the server is not responding. Check your Internet connection.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Ouvrir hors ligne</source>
        <translation>Open offline</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Phrase de déverrouillage</source>
        <translation>Unlock passphrase</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>le serveur</source>
        <translation>the server</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>l&apos;identifiant</source>
        <translation>the username</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>le mot de passe</source>
        <translation>the password</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Saisissez {what}.</source>
        <translation>Enter {what}.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Ce compte se connecte avec Pro Santé Connect : utilisez le bouton « Se connecter avec Pro Santé Connect ».</source>
        <translation>This account signs in with Pro Santé Connect: use the &quot;Sign in with Pro Santé Connect&quot; button.</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>Connexion annulée : les autres adresses demandées par le serveur n&apos;ont pas été autorisées. Rien ne leur a été envoyé, et rien n&apos;a été enregistré sur cet ordinateur.</source>
        <translation>Sign-in cancelled: the other addresses the server asked for were not allowed. Nothing was sent to them, and nothing was saved on this computer.</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>Mode hors connexion : le serveur est injoignable. Vos messages enregistrés sur cet ordinateur restent consultables ; la connexion reviendra d&apos;elle-même.</source>
        <translation>Offline mode: the server cannot be reached. The messages saved on this computer can still be read; the connection will come back by itself.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/shell/actions.py" line="+53"/>
        <source>Nouveau message</source>
        <translation>New message</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Répondre</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Répondre à tous</source>
        <translation>Reply all</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Transférer</source>
        <translation>Forward</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Transférer en pièce jointe</source>
        <translation>Forward as attachment</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Transférer le message entier, avec ses documents, en pièce jointe</source>
        <translation>Forward the whole message, with its documents, as an attachment</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Imprimer…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Imprimer la conversation, ou l&apos;enregistrer en PDF : le patient, chaque message et la liste de ses documents</source>
        <translation>Print the conversation, or save it as PDF: the patient, each message and the list of its documents</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Marquer comme non lu</source>
        <translation>Mark as unread</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Marquer comme non lue toute la conversation (ses messages de ce dossier)</source>
        <translation>Mark the whole conversation as unread (its messages in this folder)</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+216"/>
        <source>Suivre</source>
        <translation>Flag</translation>
    </message>
    <message>
        <location line="-213"/>
        <source>Suivre la conversation (son dernier message) ; « Ne plus suivre » vaut pour tous ses messages</source>
        <translation>Follow the conversation (its latest message); “Stop following” applies to all its messages</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Archiver</source>
        <translation>Archive</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Archiver toute la conversation (ses messages de ce dossier)</source>
        <translation>Archive the whole conversation (its messages in this folder)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Supprimer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Supprimer toute la conversation (ses messages de ce dossier)</source>
        <translation>Delete the whole conversation (its messages in this folder)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Rechercher</source>
        <translation>Search</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Synchroniser</source>
        <translation>Synchronise</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Paramètres…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Journal</source>
        <translation>Log</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Les derniers événements de l&apos;application, pour l&apos;assistance</source>
        <translation>The application&apos;s latest events, for support</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Traces de la messagerie</source>
        <translation>Mailbox activity log</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ce que cet ordinateur a fait dans la messagerie, exportable en CSV</source>
        <translation>What this computer did in the mailbox, exportable as CSV</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Raccourcis clavier</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>À propos de MonSisra bureau</source>
        <translation>About MonSisra bureau</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Verrouiller</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Se déconnecter</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ferme la session ici et sur le serveur : votre mot de passe sera demandé à la prochaine connexion</source>
        <translation>Closes the session here and on the server: your password will be asked at the next login</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Quitter</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Actions</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Menu : paramètres, journal, à propos, verrouiller, se déconnecter, quitter</source>
        <translation>Menu: settings, log, about, lock, sign out, quit</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Menu</source>
        <translation>Menu</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Ne plus suivre</source>
        <translation>Clear flag</translation>
    </message>
    <message>
        <location filename="../../ui/shell/main_window.py" line="+259"/>
        <source>Mon portail n&apos;est pas disponible hors connexion.</source>
        <translation>My portal is not available offline.</translation>
    </message>
    <message>
        <location filename="../../ui/shell/app_menu.py" line="+45"/>
        <source>Attention : {n} message de la boîte d&apos;envoi n&apos;a pas encore été envoyé. Il sera perdu.</source>
        <translation>Warning: {n} message in the outbox has not been sent yet. It will be lost.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Attention : {n} messages de la boîte d&apos;envoi n&apos;ont pas encore été envoyés. Ils seront perdus.</source>
        <translation>Warning: {n} messages in the outbox have not been sent yet. They will be lost.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{n} brouillon sera perdu.</source>
        <translation>{n} draft will be lost.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} brouillons seront perdus.</source>
        <translation>{n} drafts will be lost.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Les messages, documents et brouillons enregistrés sur cet ordinateur seront effacés et la connexion mémorisée supprimée. Vos messages restent sur le serveur : vous pourrez vous reconnecter avec votre mot de passe.</source>
        <translation>The messages, documents and drafts kept on this computer will be erased and the remembered login removed. Your messages stay on the server: you can log in again with your password.</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+8"/>
        <source>Oublier ce compte</source>
        <translation>Forget this account</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Oublier le compte {login} sur cet ordinateur ?</source>
        <translation>Forget the account {login} on this computer?</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>MembersBox</name>
    <message>
        <location filename="../../ui/teams/members.py" line="+43"/>
        <source>Ajouter depuis l&apos;annuaire…</source>
        <translation>Add from the directory…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retirer</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Ajouter un membre</source>
        <translation>Add a member</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Sans adresse MSSanté, pas membre d&apos;une équipe : {names}</source>
        <translation>Without an MSSanté address, not a team member: {names}</translation>
    </message>
</context>
<context>
    <name>MessageCard</name>
    <message>
        <location filename="../../ui/mail/reader.py" line="+104"/>
        <source>(expéditeur inconnu)</source>
        <translation>(unknown sender)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Reprendre le brouillon</source>
        <translation>Resume draft</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>À : </source>
        <translation>To: </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cc : </source>
        <translation>Cc: </translation>
    </message>
</context>
<context>
    <name>NavigationPane</name>
    <message>
        <location filename="../../ui/mail/navigation.py" line="+137"/>
        <source>Nouveau message</source>
        <translation>New message</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Ma messagerie</source>
        <translation>My mailbox</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Services</source>
        <translation>Services</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Annuaire</source>
        <translation>Directory</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Téléconsultations</source>
        <translation>Teleconsultations</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mes patients</source>
        <translation>My patients</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Téléexpertise</source>
        <translation>Tele-expertise</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Équipes ressources</source>
        <translation>Resource teams</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mon portail</source>
        <translation>My portal</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Ouvre MesPatients dans le navigateur</source>
        <translation>Opens MesPatients in the browser</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>{total} messages, {unread} non lus</source>
        <translation>{total} messages, {unread} unread</translation>
    </message>
</context>
<context>
    <name>NotificationsCard</name>
    <message>
        <location filename="../../ui/desktop/settings_local.py" line="+12"/>
        <source>Notifications</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Afficher le nom des patients et l&apos;objet dans les notifications</source>
        <translation>Show patient names and the subject in notifications</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Désactivé par défaut : l&apos;écran peut être vu par d&apos;autres personnes, patients ou collègues. La notification dit alors seulement qu&apos;un message est arrivé.</source>
        <translation>Off by default: the screen may be seen by other people, patients or colleagues. The notification then only says that a message has arrived.</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../ui/desktop/notifications.py" line="+39"/>
        <source>expéditeur inconnu</source>
        <translation>unknown sender</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Nouveau message de {sender}</source>
        <translation>New message from {sender}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cliquez pour l&apos;ouvrir.</source>
        <translation>Click to open it.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+12"/>
        <source>(sans objet)</source>
        <translation>(no subject)</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Patient : {name}</source>
        <translation>Patient: {name}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{n} nouveaux messages</source>
        <translation>{n} new messages</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>De {senders}</source>
        <translation>From {senders}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> et d&apos;autres</source>
        <translation> and others</translation>
    </message>
</context>
<context>
    <name>OriginApprovalDialog</name>
    <message>
        <location filename="../../ui/login/approval.py" line="+26"/>
        <source>Première connexion : autres adresses du serveur</source>
        <translation>First sign-in: other addresses of the server</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Autoriser l&apos;envoi de vos identifiants à d&apos;autres adresses ?</source>
        <translation>Allow your credentials to be sent to other addresses?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Le serveur auquel vous vous connectez demande que votre identifiant et votre mot de passe (ou votre session) soient aussi envoyés à :</source>
        <translation>The server you are signing in to asks for your username and password (or your session) to be sent to these addresses too:</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Rien ne leur a encore été envoyé. N&apos;autorisez ces adresses que si votre établissement ou votre support vous les a indiquées. Ce choix est gardé pour ce compte sur cet ordinateur : toute autre adresse sera ensuite refusée.</source>
        <translation>Nothing has been sent to them yet. Only allow these addresses if your organisation or your support told you about them. This choice is kept for this account on this computer: any other address will then be refused.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Autoriser et continuer</source>
        <translation>Allow and continue</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <location filename="../../ui/mail/outbox.py" line="+55"/>
        <source>Boîte d&apos;envoi</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Les messages en attente partent dès que le serveur répond. Un message refusé peut être corrigé avec « Modifier » ou renvoyé avec « Réessayer maintenant ».</source>
        <translation>Waiting messages go as soon as the server answers. A refused message can be corrected with “Edit” or sent again with “Retry now”.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Objet</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Destinataires</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>État</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+74"/>
        <location line="+5"/>
        <source>Annuler l&apos;envoi</source>
        <translation>Cancel sending</translation>
    </message>
    <message>
        <location line="-77"/>
        <source>Modifier</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Réessayer maintenant</source>
        <translation>Retry now</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>En attente</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Envoi en cours</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Envoyé</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refusé</source>
        <translation>Refused</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+31"/>
        <source>(sans objet)</source>
        <translation>(no subject)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Retirer « {subject} » de la boîte d&apos;envoi ?</source>
        <translation>Remove “{subject}” from the outbox?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Le message ne sera pas envoyé, et ses documents joints seront retirés.</source>
        <translation>The message will not be sent, and its attached documents will be removed.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Garder le message</source>
        <translation>Keep the message</translation>
    </message>
</context>
<context>
    <name>ParticipantsBox</name>
    <message>
        <location filename="../../ui/teleconsultations/plan_people.py" line="+190"/>
        <source>Depuis l&apos;annuaire…</source>
        <translation>From the directory…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retirer</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nom d&apos;un proche</source>
        <translation>Name of a relative</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ou mobile</source>
        <translation>or mobile</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ajouter</source>
        <translation>Add</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Ajouter un participant</source>
        <translation>Add a participant</translation>
    </message>
</context>
<context>
    <name>PatientBanner</name>
    <message>
        <location filename="../../ui/mail/reader.py" line="-59"/>
        <location line="+2"/>
        <source>Patient : </source>
        <translation>Patient: </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ouvrir le dossier du patient dans le navigateur</source>
        <translation>Open the patient&apos;s record in the browser</translation>
    </message>
</context>
<context>
    <name>PatientBox</name>
    <message>
        <location filename="../../ui/teleconsultations/plan_people.py" line="-166"/>
        <source>ou son nom (hors annuaire)</source>
        <translation>or their name (not in the directory)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choisir dans l&apos;annuaire…</source>
        <translation>Choose in the directory…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retirer</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>E-mail du patient</source>
        <translation>Patient&apos;s e-mail</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mobile du patient (06…, 07…)</source>
        <translation>Patient&apos;s mobile (06…, 07…)</translation>
    </message>
</context>
<context>
    <name>PatientDialog</name>
    <message>
        <location filename="../../ui/patient_picker.py" line="+153"/>
        <source>Choisir le patient</source>
        <translation>Choose the patient</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Rechercher dans l&apos;annuaire patient régional</source>
        <translation>Search the regional patient directory</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rechercher</source>
        <translation>Search</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choisir</source>
        <translation>Choose</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Recherche…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{n} patient trouvé.</source>
        <translation>{n} patient found.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{n} patients trouvés.</source>
        <translation>{n} patients found.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>D&apos;autres correspondent : précisez le prénom.</source>
        <translation>Others match: add the first name.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Aucun patient ne correspond à ces critères.</source>
        <translation>No patient matches these criteria.</translation>
    </message>
</context>
<context>
    <name>PatientDocuments</name>
    <message>
        <location filename="../../ui/patients/documents.py" line="-190"/>
        <source>Déposé dans le dossier par {author}</source>
        <translation>Filed in the record by {author}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Par message de {author}</source>
        <translation>By message from {author}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>inconnu</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>disponible hors connexion</source>
        <translation>available offline</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Message : {subject}</source>
        <translation>Message: {subject}</translation>
    </message>
</context>
<context>
    <name>PatientPanel</name>
    <message>
        <location filename="../../ui/patients/patient_panel.py" line="+53"/>
        <source>Choisissez un patient pour voir son identité et son équipe de soins.</source>
        <translation>Choose a patient to see their identity and care team.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Dans ma file active</source>
        <translation>In my active list</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Équipe de soins</source>
        <translation>Care team</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Journal des accès</source>
        <translation>Access log</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Écrire à l&apos;équipe de soins</source>
        <translation>Write to the care team</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Voir les messages</source>
        <translation>See the messages</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ouvrir le dossier</source>
        <translation>Open the record</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+49"/>
        <source>Le dossier du patient sur le portail régional</source>
        <translation>The patient&apos;s record on the regional portal</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>INS : {ins}</source>
        <translation>INS: {ins}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>INS non renseigné</source>
        <translation>INS not given</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ne plus suivre</source>
        <translation>Stop following</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Suivre</source>
        <translation>Follow</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Suivez ce patient pour ouvrir son dossier sur le portail régional.</source>
        <translation>Follow this patient to open their record on the regional portal.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Les messages de votre messagerie au sujet de ce patient</source>
        <translation>The messages of your mailbox about this patient</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ce patient n&apos;a pas d&apos;INS : ses messages ne peuvent pas être retrouvés.</source>
        <translation>This patient has no INS: their messages cannot be found.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nom d&apos;usage : {name}</source>
        <translation>Used name: {name}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>E-mail et mobile visibles une fois le patient dans votre file active.</source>
        <translation>E-mail and mobile visible once the patient is in your active list.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>E-mail : {email}</source>
        <translation>E-mail: {email}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mobile : {mobile}</source>
        <translation>Mobile: {mobile}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ni e-mail ni mobile connus.</source>
        <translation>No known e-mail or mobile.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Un message à {n} professionnel de l&apos;équipe de soins</source>
        <translation>A message to {n} professional of the care team</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Un message à {n} professionnels de l&apos;équipe de soins</source>
        <translation>A message to {n} professionals of the care team</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Aucune adresse MSSanté connue dans l&apos;équipe de soins.</source>
        <translation>No known MSSanté address in the care team.</translation>
    </message>
</context>
<context>
    <name>PatientSearchForm</name>
    <message>
        <location filename="../../ui/patient_picker.py" line="-166"/>
        <source>Facultatif</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>JJ/MM/AAAA</source>
        <translation>DD/MM/YYYY</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>15 caractères : NIR et clé</source>
        <translation>15 characters: NIR and key</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nom de naissance ou d&apos;usage</source>
        <translation>Birth name or used name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prénom</source>
        <translation>First name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date de naissance</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>ou son INS seul</source>
        <translation>or their INS alone</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Cet INS n&apos;est pas valide : il compte 15 caractères, les 13 du NIR puis sa clé de 2 chiffres. Vérifiez-le, ou cherchez par nom et date de naissance.</source>
        <translation>This INS is not valid: it has 15 characters, the 13 of the NIR then its 2-digit key. Check it, or search by name and date of birth.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Date de naissance illisible : écrivez-la JJ/MM/AAAA.</source>
        <translation>Unreadable date of birth: write it DD/MM/YYYY.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ajoutez la date de naissance : l&apos;annuaire patient cherche sur le nom et la date de naissance ensemble, ou sur l&apos;INS seul.</source>
        <translation>Add the date of birth: the patient directory searches on the name and the date of birth together, or on the INS alone.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ajoutez le nom de naissance ou d&apos;usage du patient, en entier : la date de naissance seule ne suffit pas.</source>
        <translation>Add the patient&apos;s birth name or used name, in full: the date of birth alone is not enough.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Indiquez le nom de naissance ou d&apos;usage et la date de naissance du patient, ou son INS.</source>
        <translation>Enter the patient&apos;s birth name or used name and date of birth, or their INS.</translation>
    </message>
</context>
<context>
    <name>Patients</name>
    <message>
        <location filename="../../ui/patients/words.py" line="+16"/>
        <location line="+6"/>
        <source>Femme</source>
        <translation>Female</translation>
    </message>
    <message>
        <location line="-5"/>
        <location line="+6"/>
        <source>Homme</source>
        <translation>Male</translation>
    </message>
    <message>
        <location line="-5"/>
        <location line="+6"/>
        <source>Autre</source>
        <translation>Other</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Non renseigné</source>
        <translation>Not given</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>née le {day}</source>
        <translation>born {day}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>né le {day}</source>
        <translation>born {day}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>date de naissance : {day}</source>
        <translation>date of birth: {day}</translation>
    </message>
    <message>
        <location filename="../../ui/patients/delegates.py" line="+57"/>
        <source>Suivi</source>
        <translation>Followed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suivre</source>
        <translation>Follow</translation>
    </message>
    <message>
        <location filename="../../ui/patients/words.py" line="+24"/>
        <source>Profession non renseignée</source>
        <translation>Profession not given</translation>
    </message>
    <message>
        <location filename="../../ui/patients/delegates.py" line="+99"/>
        <source>Pas d&apos;adresse MSSanté connue</source>
        <translation>No known MSSanté address</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{name} (vous)</source>
        <translation>{name} (you)</translation>
    </message>
</context>
<context>
    <name>PatientsView</name>
    <message>
        <location filename="../../ui/patients/view.py" line="+68"/>
        <source>Mes patients</source>
        <translation>My patients</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Actualiser</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Ma file active</source>
        <translation>My active list</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rechercher dans l&apos;annuaire patient régional</source>
        <translation>Search the regional patient directory</translation>
    </message>
    <message>
        <location line="+146"/>
        <source>Créer et suivre</source>
        <translation>Create and follow</translation>
    </message>
    <message>
        <location line="-97"/>
        <source>Chargement de votre file active…</source>
        <translation>Loading your active list…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>La file active n&apos;a pas pu être chargée.</source>
        <translation>The active list could not be loaded.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Mes patients n&apos;est pas disponible hors connexion : la file active et l&apos;annuaire patient sont sur le serveur régional. Réessayez une fois la connexion revenue.</source>
        <translation>My patients is not available offline: the active list and the patient directory are on the regional server. Try again once the connection is back.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hors connexion.</source>
        <translation>Offline.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Ma file active ({n})</source>
        <translation>My active list ({n})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Votre file active est vide : cherchez vos patients dans l&apos;annuaire patient régional et ajoutez-les.</source>
        <translation>Your active list is empty: look for your patients in the regional patient directory and add them.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Vous suivez 1 patient.</source>
        <translation>You follow 1 patient.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vous suivez {n} patients.</source>
        <translation>You follow {n} patients.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Création du dossier…</source>
        <translation>Creating the record…</translation>
    </message>
</context>
<context>
    <name>PlanDialog</name>
    <message>
        <location filename="../../ui/teleconsultations/plan_form.py" line="+71"/>
        <location line="+8"/>
        <source>Planifier une téléconsultation</source>
        <translation>Plan a teleconsultation</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Moi-même</source>
        <translation>Myself</translation>
    </message>
    <message>
        <location line="+12"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Demander un paiement en ligne</source>
        <translation>Request an online payment</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Par e-mail</source>
        <translation>By e-mail</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Par SMS</source>
        <translation>By SMS</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Motif de la téléconsultation</source>
        <translation>Reason for the teleconsultation</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Planifier</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le</source>
        <translation>On</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>à</source>
        <translation>at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>heure de Paris, durée</source>
        <translation>Paris time, duration</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Inviter le patient :</source>
        <translation>Invite the patient:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Téléconsultant</source>
        <translation>Teleconsultant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paiement</source>
        <translation>Payment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invitation</source>
        <translation>Invitation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Autres participants</source>
        <translation>Other participants</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Au nom de {name}</source>
        <translation>On behalf of {name}</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>Déjà planifiée à ce moment : {day}, {start} – {end}, {patient}</source>
        <translation>Already planned at that time: {day}, {start} – {end}, {patient}</translation>
    </message>
    <message>
        <location line="-89"/>
        <source>Planification…</source>
        <translation>Planning…</translation>
    </message>
</context>
<context>
    <name>PscPanel</name>
    <message>
        <location filename="../../ui/login/psc.py" line="+124"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>ou</source>
        <translation>or</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Se connecter avec Pro Santé Connect</source>
        <translation>Sign in with Pro Santé Connect</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Carte CPS ou e-CPS, dans votre navigateur</source>
        <translation>CPS card or e-CPS, in your browser</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Recevoir une notification e-CPS</source>
        <translation>Get an e-CPS notification</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Terminez la connexion dans votre navigateur… Insérez votre carte CPS ou validez sur votre téléphone (e-CPS), puis revenez ici.</source>
        <translation>Finish signing in in your browser… Insert your CPS card or approve on your phone (e-CPS), then come back here.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Votre numéro RPPS (11 chiffres, sur votre carte CPS)</source>
        <translation>Your RPPS number (11 digits, on your CPS card)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Envoyer la notification</source>
        <translation>Send the notification</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Vérifiez que votre téléphone affiche ce code, puis validez.</source>
        <translation>Check that your phone shows this code, then approve.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Phrase de déverrouillage</source>
        <translation>Unlock passphrase</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Confirmez la phrase</source>
        <translation>Confirm the passphrase</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Au moins 12 caractères, avec au moins deux sortes de caractères (lettres, chiffres, espaces ou signes). Une courte phrase se retient mieux qu&apos;un mot de passe : « ma salle d&apos;attente 2e étage ».</source>
        <translation>At least 12 characters, with at least two kinds of characters (letters, digits, spaces or symbols). A short sentence is easier to remember than a password: &quot;my waiting room 2nd floor&quot;.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+29"/>
        <source>Continuer</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Vous exercez à plusieurs endroits : choisissez celui d&apos;où vous écrivez.</source>
        <translation>You practise in several places: choose the one you are writing from.</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Première connexion sur cet ordinateur : choisissez une phrase de déverrouillage. Elle protège vos messages enregistrés ici et vous permettra de les consulter hors connexion. Elle n&apos;est jamais envoyée.</source>
        <translation>First sign-in on this computer: choose an unlock passphrase. It protects your messages stored here and lets you read them offline. It is never sent.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Saisissez votre phrase de déverrouillage de cet ordinateur.</source>
        <translation>Enter this computer&apos;s unlock passphrase.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Temps restant : {time}</source>
        <translation>Time left: {time}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Les deux phrases ne sont pas identiques.</source>
        <translation>The two passphrases do not match.</translation>
    </message>
</context>
<context>
    <name>ReadStatus</name>
    <message>
        <location filename="../../ui/mail/receipts.py" line="+25"/>
        <source>Supprimé sans être lu par %1 le %2</source>
        <translation>Deleted without being read by %1 on %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lu par %1 le %2</source>
        <translation>Read by %1 on %2</translation>
    </message>
</context>
<context>
    <name>ReaderView</name>
    <message>
        <location filename="../../ui/mail/reader.py" line="+133"/>
        <source>Sélectionnez un message pour le lire.</source>
        <translation>Select a message to read it.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>(sans objet)</source>
        <translation>(no subject)</translation>
    </message>
</context>
<context>
    <name>ReceiptQuestion</name>
    <message>
        <location filename="../../ui/mail/receipts.py" line="-101"/>
        <source>%1 demande un accusé de lecture</source>
        <translation>%1 requests a read receipt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Envoyer</source>
        <translation>Send</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ignorer</source>
        <translation>Ignore</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Accusé de lecture envoyé.</source>
        <translation>Read receipt sent.</translation>
    </message>
</context>
<context>
    <name>RecipientField</name>
    <message>
        <location filename="../../ui/composer/recipients.py" line="+161"/>
        <source>Nom ou adresse MSSanté</source>
        <translation>Name or MSSanté address</translation>
    </message>
</context>
<context>
    <name>SearchField</name>
    <message>
        <location filename="../../ui/mail/search.py" line="+23"/>
        <source>Rechercher dans mes messages (Ctrl+F)</source>
        <translation>Search my messages (Ctrl+F)</translation>
    </message>
</context>
<context>
    <name>SearchForm</name>
    <message>
        <location filename="../../ui/directory/search_form.py" line="+60"/>
        <source>Nom, prénom ou adresse MSSanté</source>
        <translation>Last name, first name or MSSanté address</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Toutes les spécialités</source>
        <translation>All specialties</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Spécialité</source>
        <translation>Specialty</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Service ou compétence</source>
        <translation>Department or expertise</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Code postal</source>
        <translation>Postcode</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Département</source>
        <translation>Département</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Autour de moi</source>
        <translation>Near me</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{km} km</source>
        <translation>{km} km</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rayon autour de votre lieu d&apos;exercice</source>
        <translation>Radius around your place of practice</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Toutes les catégories</source>
        <translation>All categories</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Experts seulement</source>
        <translation>Experts only</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rechercher</source>
        <translation>Search</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Effacer</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Autour de moi : depuis {place}, lieu par défaut. Indiquez votre lieu d&apos;exercice dans les Paramètres pour chercher autour de votre cabinet.</source>
        <translation>Near me: from {place}, the default location. Set your place of practice in Settings to search around your practice.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Autour de moi : depuis {place}.</source>
        <translation>Near me: from {place}.</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Aucun professionnel ni service n&apos;a l&apos;adresse {address} dans l&apos;annuaire.</source>
        <translation>No professional or service has the address {address} in the directory.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Aucun résultat. Élargissez la recherche.</source>
        <translation>No results. Try a broader search.</translation>
    </message>
</context>
<context>
    <name>SecurityCard</name>
    <message>
        <location filename="../../ui/desktop/settings_local.py" line="+15"/>
        <source>Sécurité</source>
        <translation>Security</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Verrouillage après inactivité</source>
        <translation>Lock after inactivity</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sans activité pendant ce délai, MonSisra se verrouille et redemande votre mot de passe. Vos brouillons sont conservés.</source>
        <translation>After this long without activity, MonSisra locks and asks for your password again. Your drafts are kept.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Conserver les traces</source>
        <translation>Keep the activity log for</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Les traces de la messagerie (envois, réceptions, lectures, déplacements, suppressions) sont gardées chiffrées sur cet ordinateur pendant cette durée.</source>
        <translation>The mailbox activity log (messages sent, received, read, moved, deleted) is kept encrypted on this computer for this long.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>3 mois</source>
        <translation>3 months</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>6 mois</source>
        <translation>6 months</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 an</source>
        <translation>1 year</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>3 ans</source>
        <translation>3 years</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>10 ans</source>
        <translation>10 years</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{days} jours</source>
        <translation>{days} days</translation>
    </message>
</context>
<context>
    <name>SendingCard</name>
    <message>
        <location filename="../../ui/desktop/settings_sending.py" line="+22"/>
        <source>Envoi</source>
        <translation>Sending</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Désactivé</source>
        <translation>Off</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Délai d&apos;annulation de l&apos;envoi</source>
        <translation>Undo send delay</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Un message envoyé attend ce délai avant de partir : «&#xa0;Annuler&#xa0;», dans la barre d&apos;état, le rouvre pour le modifier. Hors connexion, il attend le retour de la connexion.</source>
        <translation>A sent message waits this long before it leaves: “Undo”, in the status bar, opens it again to edit it. Offline, it waits for the connection to come back.</translation>
    </message>
</context>
<context>
    <name>ServerAddress</name>
    <message>
        <location filename="../../ui/server_address.py" line="+21"/>
        <source>Indiquez l&apos;adresse du serveur, par exemple https://sante-ara.fr.</source>
        <translation>Enter the server address, for example https://sante-ara.fr.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/desktop/settings_dialog.py" line="+69"/>
        <location line="+36"/>
        <source>Paramètres</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Une valeur n&apos;est pas acceptée : vérifiez le formulaire.</source>
        <translation>A value is not accepted: check the form.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Les paramètres n&apos;ont pas pu être enregistrés sur le disque. Vérifiez la place disponible et réessayez.</source>
        <translation>The settings could not be saved to disk. Check the free space and try again.</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../ui/desktop/shortcuts.py" line="+36"/>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rédaction</source>
        <translation>Writing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Application</source>
        <translation>Application</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Nouveau message</source>
        <translation>New message</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Répondre</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Répondre à tous</source>
        <translation>Reply all</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Transférer</source>
        <translation>Forward</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Transférer en pièce jointe</source>
        <translation>Forward as attachment</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Marquer comme non lu</source>
        <translation>Mark as unread</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Suivre / ne plus suivre</source>
        <translation>Follow up / clear follow-up</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Archiver</source>
        <translation>Archive</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imprimer la conversation</source>
        <translation>Print the conversation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Supprimer (vers la corbeille)</source>
        <translation>Delete (to the bin)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rechercher</source>
        <translation>Search</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Synchroniser</source>
        <translation>Synchronise</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Envoyer le message</source>
        <translation>Send the message</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Fermer (le brouillon est gardé)</source>
        <translation>Close (the draft is kept)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Verrouiller</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Paramètres</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Raccourcis clavier</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Quitter</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+17"/>
        <source> ou </source>
        <translation> or </translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location line="+11"/>
        <location line="+5"/>
        <source>Raccourcis clavier</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Dans la fenêtre principale et la rédaction ; le verrouillage, partout.</source>
        <translation>In the main window and while writing; locking, everywhere.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>SignatureCard</name>
    <message>
        <location filename="../../ui/desktop/settings_signature.py" line="+26"/>
        <source>Signature</source>
        <translation>Signature</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Dr Prénom Nom
Spécialité
Téléphone</source>
        <translation>Dr First Last
Specialty
Telephone</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ajoutée à vos messages</source>
        <translation>Added to your messages</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>En texte simple, sous vos nouveaux messages et au-dessus du message d&apos;origine dans vos réponses et transferts, après une ligne « -- ».</source>
        <translation>In plain text, below your new messages and above the original message in your replies and forwards, after a “-- ” line.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Le serveur garde une signature pour {address} : c&apos;est elle qui est ajoutée.</source>
        <translation>The server keeps a signature for {address}: that one is added.</translation>
    </message>
</context>
<context>
    <name>SpecialtyChecklist</name>
    <message>
        <location filename="../../ui/specialties.py" line="+145"/>
        <source>Rechercher une spécialité</source>
        <translation>Search for a specialty</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Aucune spécialité ne correspond à « {query} ».</source>
        <translation>No specialty matches “{query}”.</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../ui/mail/status.py" line="+47"/>
        <source>Détails</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>En ligne</source>
        <translation>Online</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+37"/>
        <source>Connexion sécurisée refusée</source>
        <translation>Secure connection refused</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>Hors connexion</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Synchronisé à {time}</source>
        <translation>Synchronised at {time}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Synchronisation : %p&#xa0;%</source>
        <translation>Synchronising: %p%</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{done} messages sur {total}</source>
        <translation>{done} of {total} messages</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Le message sera envoyé au retour de la connexion.</source>
        <translation>The message will be sent when the connection is back.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{n} en attente</source>
        <translation>{n} pending</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} en échec</source>
        <translation>{n} failed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Boîte d&apos;envoi : </source>
        <translation>Outbox: </translation>
    </message>
</context>
<context>
    <name>TeamCard</name>
    <message>
        <location filename="../../ui/teams/card.py" line="+138"/>
        <source>Activité</source>
        <translation>Activity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prérequis pour les demandeurs</source>
        <translation>Prerequisites for requesters</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Membres</source>
        <translation>Members</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Modèles de documents</source>
        <translation>Document templates</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Ajouter un modèle…</source>
        <translation>Add a template…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Retirer l&apos;équipe</source>
        <translation>Withdraw the team</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quitter l&apos;équipe</source>
        <translation>Leave the team</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modifier</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Écrire à l&apos;équipe</source>
        <translation>Write to the team</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Déclarée par {name} · Contact : {address}</source>
        <translation>Declared by {name} · Contact: {address}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>inconnu</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Aucun prérequis indiqué.</source>
        <translation>No prerequisites given.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aucun membre indiqué.</source>
        <translation>No members given.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Aucun modèle pour l&apos;instant : ajoutez ceux que vos demandeurs rempliront.</source>
        <translation>No template yet: add those your requesters will fill in.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cette équipe ne propose pas de modèle de document.</source>
        <translation>This team offers no document template.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Glissez ici vos modèles de documents (PDF, traitement de texte…).</source>
        <translation>Drop your document templates here (PDF, word processor…).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Glissez ici vos modèles de documents, ou ajoutez-les : {size} au plus par modèle, {max} modèles au plus ({count} pour l&apos;instant).</source>
        <translation>Drop your document templates here, or add them: at most {size} per template, at most {max} templates ({count} so far).</translation>
    </message>
</context>
<context>
    <name>TeamForm</name>
    <message>
        <location filename="../../ui/teams/form.py" line="+46"/>
        <source>Modifier l&apos;équipe ressource</source>
        <translation>Edit the resource team</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Déclarer une équipe ressource</source>
        <translation>Declare a resource team</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Par exemple : Équipe ressource douleur chronique — CHU de Lyon</source>
        <translation>For example: Chronic pain resource team — CHU de Lyon</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ce que fait l&apos;équipe, pour quels patients, comment la solliciter</source>
        <translation>What the team does, for which patients, how to ask it</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ce que le demandeur doit fournir, par exemple : dernier courrier, bilans</source>
        <translation>What the requester must provide, for example: latest letter, test results</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Adresse MSSanté où les demandes arrivent</source>
        <translation>MSSanté address where requests arrive</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Nom de l&apos;équipe</source>
        <translation>Team name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description de l&apos;activité</source>
        <translation>Description of the activity</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prérequis pour les demandeurs</source>
        <translation>Prerequisites for requesters</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adresse MSSanté de contact</source>
        <translation>Contact MSSanté address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Membres de l&apos;équipe</source>
        <translation>Team members</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>La description et les prérequis font chacun au plus {n} caractères : raccourcissez-les.</source>
        <translation>The description and the prerequisites are each at most {n} characters long: shorten them.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Enregistrement…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>TeamsView</name>
    <message>
        <location filename="../../ui/teams/view.py" line="+72"/>
        <source>Équipes ressources</source>
        <translation>Resource teams</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Actualiser</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Déclarer une équipe</source>
        <translation>Declare a team</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+31"/>
        <source>Mes équipes</source>
        <translation>My teams</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Trouver une équipe</source>
        <translation>Find a team</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Vous n&apos;avez déclaré aucune équipe ressource et n&apos;êtes membre d&apos;aucune. Déclarez la vôtre pour que vos confrères vous trouvent et vous sollicitent.</source>
        <translation>You have declared no resource team and are a member of none. Declare yours so that colleagues find you and ask you.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choisissez une équipe pour voir sa fiche.</source>
        <translation>Choose a team to see its card.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nom, activité, prérequis ou adresse</source>
        <translation>Name, activity, prerequisites or address</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Aucune équipe ressource ne correspond.</source>
        <translation>No resource team matches.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choisissez une équipe pour voir son activité, ses prérequis et ses modèles.</source>
        <translation>Choose a team to see its activity, prerequisites and templates.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Équipes trouvées</source>
        <translation>Teams found</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Chargement des équipes ressources…</source>
        <translation>Loading the resource teams…</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Vous avez déclaré 1 équipe.</source>
        <translation>You have declared 1 team.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vous avez déclaré {n} équipes.</source>
        <translation>You have declared {n} teams.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Vous êtes membre de 1 équipe.</source>
        <translation>You are a member of 1 team.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vous êtes membre de {n} équipes.</source>
        <translation>You are a member of {n} teams.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trouvez une équipe ressource, ou déclarez la vôtre.</source>
        <translation>Find a resource team, or declare yours.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>aucun membre</source>
        <translation>no members</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 membre</source>
        <translation>1 member</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} membres</source>
        <translation>{n} members</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>aucun modèle</source>
        <translation>no templates</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 modèle</source>
        <translation>1 template</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} modèles</source>
        <translation>{n} templates</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Déclarée par vous</source>
        <translation>Declared by you</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vous en êtes membre</source>
        <translation>You are a member</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Chargement de l&apos;équipe…</source>
        <translation>Loading the team…</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Équipe « {name} » enregistrée.</source>
        <translation>Team “{name}” saved.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Retirer l&apos;équipe</source>
        <translation>Withdraw the team</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Retirer « {name} » ? Les demandeurs ne la trouveront plus et ses modèles de documents seront supprimés.</source>
        <translation>Withdraw “{name}”? Requesters will no longer find it and its document templates will be deleted.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Équipe « {name} » retirée.</source>
        <translation>Team “{name}” withdrawn.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Quitter l&apos;équipe</source>
        <translation>Leave the team</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ne plus être membre de « {name} » ?</source>
        <translation>No longer be a member of “{name}”?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Vous n&apos;êtes plus membre de « {name} ».</source>
        <translation>You are no longer a member of “{name}”.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Modèle ajouté.</source>
        <translation>Template added.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Modèles ajoutés.</source>
        <translation>Templates added.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Supprimer le modèle</source>
        <translation>Delete the template</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Supprimer « {name} » ? Les demandeurs ne pourront plus le télécharger.</source>
        <translation>Delete “{name}”? Requesters will no longer be able to download it.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Modèle « {name} » supprimé.</source>
        <translation>Template “{name}” deleted.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Ajouter un modèle de document</source>
        <translation>Add a document template</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Envoi…</source>
        <translation>Sending…</translation>
    </message>
</context>
<context>
    <name>Teleconsultations</name>
    <message>
        <location filename="../../ui/teleconsultations/model.py" line="+16"/>
        <source>Planifiée</source>
        <translation>Scheduled</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Terminée</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annulée</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Paiement : payé ({amount})</source>
        <translation>Payment: paid ({amount})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paiement : en attente ({amount})</source>
        <translation>Payment: pending ({amount})</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Payé ({amount})</source>
        <translation>Paid ({amount})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>En attente ({amount})</source>
        <translation>Pending ({amount})</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Motif d&apos;annulation : {reason}</source>
        <translation>Reason for cancellation: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/teleconsultations/delegate.py" line="+64"/>
        <source>Patient non renseigné</source>
        <translation>Patient not specified</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>annulée : {reason}</source>
        <translation>cancelled: {reason}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Participants : {names}</source>
        <translation>Participants: {names}</translation>
    </message>
</context>
<context>
    <name>TeleconsultationsView</name>
    <message>
        <location filename="../../ui/teleconsultations/view.py" line="+64"/>
        <source>Téléconsultations</source>
        <translation>Teleconsultations</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Actualiser</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Planifier une téléconsultation</source>
        <translation>Plan a teleconsultation</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Aucune téléconsultation à venir.</source>
        <translation>No upcoming teleconsultations.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aucune téléconsultation passée.</source>
        <translation>No past teleconsultations.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>À venir</source>
        <translation>Upcoming</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passées</source>
        <translation>Past</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rejoindre</source>
        <translation>Join</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copier le lien du patient</source>
        <translation>Copy the patient&apos;s link</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Modifier</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Annuler la téléconsultation</source>
        <translation>Cancel the teleconsultation</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Chargement des téléconsultations…</source>
        <translation>Loading teleconsultations…</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Aucune téléconsultation planifiée.</source>
        <translation>No teleconsultations scheduled.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 téléconsultation planifiée.</source>
        <translation>1 teleconsultation scheduled.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} téléconsultations planifiées.</source>
        <translation>{n} teleconsultations scheduled.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Seuls le téléconsultant et la personne qui l&apos;a planifiée peuvent la modifier.</source>
        <translation>Only the teleconsultant and the person who planned it can edit it.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Seuls le téléconsultant et la personne qui l&apos;a planifiée peuvent l&apos;annuler.</source>
        <translation>Only the teleconsultant and the person who planned it can cancel it.</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+5"/>
        <source>Cette téléconsultation est terminée ou annulée.</source>
        <translation>This teleconsultation has ended or was cancelled.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Aucun lien de connexion pour vous dans cette téléconsultation.</source>
        <translation>There is no join link for you in this teleconsultation.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ouvre la visio dans votre navigateur.</source>
        <translation>Opens the video call in your browser.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>La téléconsultation s&apos;ouvre dans votre navigateur.</source>
        <translation>The teleconsultation is opening in your browser.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lien du patient copié.</source>
        <translation>Patient&apos;s link copied.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Téléconsultation planifiée : les invitations sont envoyées.</source>
        <translation>Teleconsultation planned: the invitations are sent.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Téléconsultation modifiée : les participants sont prévenus.</source>
        <translation>Teleconsultation edited: the participants are told.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Téléconsultation annulée : les participants sont prévenus.</source>
        <translation>Teleconsultation cancelled: the participants are told.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Annulation…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>Teleexpertise</name>
    <message>
        <location filename="../../ui/teleexpertise/labels.py" line="+14"/>
        <source>Demandée</source>
        <translation>Requested</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Répondue</source>
        <translation>Answered</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clôturée</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Tous les statuts</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Demandées</source>
        <translation>Requested</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Répondues</source>
        <translation>Answered</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clôturées</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hors connexion : la téléexpertise sera disponible dès que le serveur répondra à nouveau.</source>
        <translation>Offline: tele-expertise will be available as soon as the server answers again.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Aucune téléexpertise restante cette année pour ce patient ({used} sur {limit}).</source>
        <translation>No tele-expertise left this year for this patient ({used} of {limit}).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>1 téléexpertise restante cette année pour ce patient.</source>
        <translation>1 tele-expertise left this year for this patient.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{n} téléexpertises restantes cette année pour ce patient.</source>
        <translation>{n} tele-expertises left this year for this patient.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>1 demande attend votre avis</source>
        <translation>1 request awaits your opinion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} demandes attendent votre avis</source>
        <translation>{n} requests await your opinion</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>1 réponse à clôturer</source>
        <translation>1 answer to close</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} réponses à clôturer</source>
        <translation>{n} answers to close</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Rien n&apos;attend d&apos;action de votre part.</source>
        <translation>Nothing awaits action from you.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Documents demandés par l&apos;expert :</source>
        <translation>Documents the expert asks for:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>L&apos;expert ne demande pas de document.</source>
        <translation>The expert asks for no document.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Délai de réponse annoncé : {days} jour.</source>
        <translation>Announced response time: {days} day.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Délai de réponse annoncé : {days} jours.</source>
        <translation>Announced response time: {days} days.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Vous n&apos;êtes pas déclaré comme télé-expert : vos confrères ne peuvent pas vous solliciter.</source>
        <translation>You are not declared as a tele-expert: colleagues cannot ask you.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>visible dans l&apos;annuaire des experts</source>
        <translation>shown in the experts directory</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>non visible dans l&apos;annuaire</source>
        <translation>not shown in the directory</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vous êtes déclaré comme télé-expert ({listed}).</source>
        <translation>You are declared as a tele-expert ({listed}).</translation>
    </message>
</context>
<context>
    <name>TeleexpertiseDetail</name>
    <message>
        <location filename="../../ui/teleexpertise/detail.py" line="+72"/>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Ouvrir le compte rendu (PDF)</source>
        <translation>Open the report (PDF)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Le compte rendu de télémédecine déposé dans le dossier du patient</source>
        <translation>The telemedicine report filed in the patient&apos;s record</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Documents joints</source>
        <translation>Attached documents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Réponse de l&apos;expert</source>
        <translation>The expert&apos;s answer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compte rendu</source>
        <translation>Report</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Répondre</source>
        <translation>Answer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clôturer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Voir la conversation</source>
        <translation>Show the conversation</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Choisissez une téléexpertise pour voir son détail.</source>
        <translation>Choose a tele-expertise to see its details.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Demandée à {name}</source>
        <translation>Requested from {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Demandée par {name}</source>
        <translation>Requested by {name}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Réponse reçue {when}</source>
        <translation>Answer received {when}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clôturée {when}</source>
        <translation>Closed {when}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Joints à la demande, dans la conversation ; cliquez pour ouvrir.</source>
        <translation>Attached to the request, in the conversation; click to open.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Déposé dans le dossier du patient le {day} (CR de télémédecine, LOINC {code}) et envoyé dans la conversation.</source>
        <translation>Filed in the patient&apos;s record on {day} (telemedicine report, LOINC {code}) and sent in the conversation.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Ouvrir {name}</source>
        <translation>Open {name}</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Votre avis</source>
        <translation>Your opinion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Votre réponse à la question posée…</source>
        <translation>Your answer to the question asked…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compte rendu de téléexpertise</source>
        <translation>Tele-expertise report</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Le compte rendu, déposé dans le dossier du patient à la clôture…</source>
        <translation>The report, filed in the patient&apos;s record on closing…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>CR de télémédecine</source>
        <translation>Telemedicine report</translation>
    </message>
</context>
<context>
    <name>TeleexpertiseRequestDialog</name>
    <message>
        <location filename="../../ui/teleexpertise/request.py" line="+51"/>
        <location line="+11"/>
        <source>Demander une téléexpertise</source>
        <translation>Request a tele-expertise</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Une demande d&apos;avis rémunérée sur le cas d&apos;un patient, prise en charge dans la limite de 4 par patient et par an.</source>
        <translation>A paid request for an opinion on a patient&apos;s case, covered up to 4 per patient per year.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choisir un expert…</source>
        <translation>Choose an expert…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choisir le patient…</source>
        <translation>Choose the patient…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Joindre un document</source>
        <translation>Attach a document</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Votre question à l&apos;expert : contexte, antécédents, ce que vous attendez…</source>
        <translation>Your question to the expert: context, history, what you expect…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Envoyer la demande</source>
        <translation>Send the request</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Expert</source>
        <translation>Expert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Aucun expert choisi.</source>
        <translation>No expert chosen.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Aucun patient choisi.</source>
        <translation>No patient chosen.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Choisir un expert</source>
        <translation>Choose an expert</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Envoi de la demande…</source>
        <translation>Sending the request…</translation>
    </message>
</context>
<context>
    <name>TeleexpertiseView</name>
    <message>
        <location filename="../../ui/teleexpertise/view.py" line="+64"/>
        <source>Téléexpertise</source>
        <translation>Tele-expertise</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nouvelle demande</source>
        <translation>New request</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Actualiser</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+135"/>
        <source>Se déclarer comme télé-expert</source>
        <translation>Declare yourself as a tele-expert</translation>
    </message>
    <message>
        <location line="-119"/>
        <source>Aucune demande envoyée.</source>
        <translation>No request sent.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aucune demande reçue.</source>
        <translation>No request received.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mes demandes</source>
        <translation>My requests</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Demandes reçues</source>
        <translation>Requests received</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Chargement des téléexpertises…</source>
        <translation>Loading tele-expertises…</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Modifier mes préférences d&apos;expert</source>
        <translation>Edit my expert preferences</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Répondre à la téléexpertise</source>
        <translation>Answer the tele-expertise</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Envoyer votre avis à {name} ? Il ne pourra plus être modifié.</source>
        <translation>Send your opinion to {name}? It can no longer be changed.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Votre avis a été envoyé à {name}.</source>
        <translation>Your opinion has been sent to {name}.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Clôturer la téléexpertise</source>
        <translation>Close the tele-expertise</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clôturer cette téléexpertise ? Le compte rendu sera déposé dans le dossier du patient et envoyé à {name}.</source>
        <translation>Close this tele-expertise? The report will be filed in the patient&apos;s record and sent to {name}.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Téléexpertise clôturée : le compte rendu a été déposé dans le dossier du patient.</source>
        <translation>Tele-expertise closed: the report has been filed in the patient&apos;s record.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Envoi…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Ouverture de « {name} »…</source>
        <translation>Opening “{name}”…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Document enregistré.</source>
        <translation>Document saved.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Demande envoyée à {name}.</source>
        <translation>Request sent to {name}.</translation>
    </message>
</context>
<context>
    <name>TemplateErrands</name>
    <message>
        <location filename="../../ui/teams/send_back.py" line="+53"/>
        <source>Enregistrer le modèle</source>
        <translation>Save the template</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Modèle enregistré : {path}</source>
        <translation>Template saved: {path}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Enregistrer le modèle à remplir</source>
        <translation>Save the template to fill in</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Remplissez « {name} » dans le programme qui vient de l&apos;ouvrir et enregistrez-le : le message part avec le fichier tel qu&apos;il est enregistré quand vous cliquez sur « Envoyer ».</source>
        <translation>Fill in “{name}” in the program that just opened it and save it: the message leaves with the file as it is saved when you click “Send”.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>« {name} » est enregistré dans {folder} mais ne s&apos;ouvre pas ici : remplissez-le avec le programme de votre choix et enregistrez-le, puis cliquez sur « Envoyer ».</source>
        <translation>“{name}” is saved in {folder} but does not open here: fill it in with the program of your choice and save it, then click “Send”.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Téléchargement du modèle…</source>
        <translation>Downloading the template…</translation>
    </message>
</context>
<context>
    <name>TemplateRow</name>
    <message>
        <location filename="../../ui/teams/card.py" line="-214"/>
        <source>Supprimer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Télécharger</source>
        <translation>Download</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remplir et renvoyer</source>
        <translation>Fill in and send back</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enregistre le modèle, l&apos;ouvre pour que vous le remplissiez et prépare un message à l&apos;équipe avec le fichier joint.</source>
        <translation>Saves the template, opens it for you to fill in and prepares a message to the team with the file attached.</translation>
    </message>
</context>
<context>
    <name>TracesDialog</name>
    <message>
        <location filename="../../ui/traces/dialog.py" line="+45"/>
        <location line="+10"/>
        <source>Traces de la messagerie</source>
        <translation>Mailbox activity log</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ce que cet ordinateur a fait dans votre messagerie (envois, lectures, déplacements, suppressions, accusés de lecture) et les messages reçus. Gardées chiffrées sur cet ordinateur, pendant la durée choisie dans les paramètres.</source>
        <translation>What this computer did in your mailbox (messages sent, read, moved, deleted, read receipts) and the messages received. Kept encrypted on this computer for the period chosen in the settings.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Toutes les actions</source>
        <translation>All actions</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Toute la période</source>
        <translation>Whole period</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>7 derniers jours</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>30 derniers jours</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>3 derniers mois</source>
        <translation>Last 3 months</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>12 derniers mois</source>
        <translation>Last 12 months</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Rechercher (objet, adresse…)</source>
        <translation>Search (subject, address…)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Exporter en CSV…</source>
        <translation>Export as CSV…</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>{n} trace</source>
        <translation>{n} entry</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{n} traces</source>
        <translation>{n} entries</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Aucune trace ne correspond à ces critères.</source>
        <translation>No entry matches these criteria.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Aucune trace pour l&apos;instant.</source>
        <translation>No entries yet.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Exporter les traces</source>
        <translation>Export the activity log</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Par</source>
        <translation>By</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correspondants</source>
        <translation>Correspondents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Objet</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dossiers</source>
        <translation>Folders</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message-ID</source>
        <translation>Message-ID</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export en cours…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{n} trace exportée dans {name}.</source>
        <translation>{n} entry exported to {name}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} traces exportées dans {name}.</source>
        <translation>{n} entries exported to {name}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Les traces n&apos;ont pas pu être enregistrées dans ce fichier. Vérifiez le dossier choisi et la place disponible, puis réessayez.</source>
        <translation>The activity log could not be saved to this file. Check the chosen folder and the free space, then try again.</translation>
    </message>
</context>
<context>
    <name>TracesModel</name>
    <message>
        <location filename="../../ui/traces/model.py" line="+37"/>
        <source>Envoyé</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reçu</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lu</source>
        <translation>Read</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Marqué non lu</source>
        <translation>Marked unread</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Déplacé</source>
        <translation>Moved</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supprimé</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accusé de lecture envoyé</source>
        <translation>Read receipt sent</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Objet</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correspondants</source>
        <translation>Correspondents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Par</source>
        <translation>By</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dossiers</source>
        <translation>Folders</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../ui/desktop/tray.py" line="+43"/>
        <source>Aucun message non lu</source>
        <translation>No unread messages</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 message non lu</source>
        <translation>1 unread message</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} messages non lus</source>
        <translation>{n} unread messages</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Ouvrir MonSisra bureau</source>
        <translation>Open MonSisra bureau</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nouveau message</source>
        <translation>New message</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Verrouiller</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Quitter</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>TruncatedNotice</name>
    <message>
        <location filename="../../ui/mail/saving.py" line="+23"/>
        <source>Enregistrer le texte du message</source>
        <translation>Save the message text</translation>
    </message>
    <message>
        <location filename="../../ui/mail/message_body.py" line="+137"/>
        <source>Message tronqué à l&apos;affichage : il est trop long pour être affiché en entier. Son texte complet peut être copié ou enregistré.</source>
        <translation>Message shortened on screen: it is too long to be shown in full. Its full text can be copied or saved.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copier le texte complet</source>
        <translation>Copy the full text</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enregistrer le texte complet…</source>
        <translation>Save the full text…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Texte complet du message copié.</source>
        <translation>Full text of the message copied.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Texte du message.txt</source>
        <translation>Message text.txt</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Texte du message enregistré : {name}</source>
        <translation>Message text saved: {name}</translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <location filename="../../app/messages/connection.py" line="+10"/>
        <source>Une erreur inattendue s&apos;est produite.</source>
        <translation>An unexpected error occurred.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{count} seconde</source>
        <translation>{count} second</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} secondes</source>
        <translation>{count} seconds</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} minute</source>
        <translation>{count} minute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} minutes</source>
        <translation>{count} minutes</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Identifiant ou mot de passe incorrect.</source>
        <translation>Incorrect username or password.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ce compte Sara n&apos;est pas encore activé : ouvrez le lien d&apos;activation reçu par e-mail, puis connectez-vous.</source>
        <translation>This Sara account is not activated yet: open the activation link you received by e-mail, then sign in.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Trop de tentatives de connexion infructueuses. Réessayez dans {wait}.</source>
        <translation>Too many failed sign-in attempts. Try again in {wait}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Votre session a expiré. Saisissez à nouveau votre mot de passe pour continuer ; votre travail en cours est conservé.</source>
        <translation>Your session has expired. Enter your password again to continue; your work in progress is kept.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le serveur a répondu de façon inattendue lors de la connexion. Réessayez plus tard ou contactez votre support.</source>
        <translation>The server answered unexpectedly while signing in. Try again later or contact your support.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le serveur est injoignable et ce compte n&apos;a encore jamais été ouvert sur cet ordinateur : la première connexion doit se faire en ligne. Vérifiez votre connexion et réessayez.</source>
        <translation>The server cannot be reached and this account has never been opened on this computer: the first sign-in must be made online. Check your connection and try again.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Compte ouvert hors connexion, à votre demande : les messages enregistrés sur cet ordinateur restent consultables. La connexion au serveur est retentée régulièrement.</source>
        <translation>Account opened offline, as you asked: the messages stored on this computer can still be read. The connection to the server is tried again regularly.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Votre mot de passe a changé sur le serveur, mais les données de cet ordinateur sont protégées par l&apos;ancien. Saisissez aussi votre ancien mot de passe pour les déverrouiller.</source>
        <translation>Your password has changed on the server, but the data on this computer is protected by the old one. Also enter your old password to unlock it.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Mot de passe incorrect. Vérifiez la saisie (majuscules, clavier) et réessayez.</source>
        <translation>Incorrect password. Check what you typed (caps lock, keyboard layout) and try again.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Trop d&apos;essais de mot de passe incorrects. Réessayez dans {wait}.</source>
        <translation>Too many incorrect password attempts. Try again in {wait}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le fichier de clé de ce compte est illisible. Reconnectez-vous au serveur pour reconstruire les données locales.</source>
        <translation>This account&apos;s key file is unreadable. Sign in to the server again to rebuild the local data.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Aucun trousseau sécurisé n&apos;est disponible sur cet ordinateur : la connexion ne peut pas être mémorisée et votre mot de passe vous sera demandé à chaque lancement.</source>
        <translation>No secure keyring is available on this computer: the sign-in cannot be remembered and your password will be asked for at every start.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Les données de ce compte n&apos;ont pas pu être toutes effacées de cet ordinateur. Fermez MonSisra, puis réessayez ; si le problème persiste, contactez votre support.</source>
        <translation>Not all of this account&apos;s data could be erased from this computer. Close MonSisra, then try again; if the problem persists, contact your support.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>La session est fermée : reconnectez-vous pour ouvrir ce document.</source>
        <translation>The session is closed: sign in again to open this document.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>L&apos;adresse du serveur n&apos;est pas valide : elle doit commencer par https:// suivi du nom du serveur, par exemple https://sante-ara.fr.</source>
        <translation>The server address is not valid: it must start with https:// followed by the server&apos;s name, for example https://sante-ara.fr.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>L&apos;adresse du serveur contient une espace : écrivez-la d&apos;un seul tenant, par exemple https://sante-ara.fr.</source>
        <translation>The server address contains a space: write it in one piece, for example https://sante-ara.fr.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>L&apos;adresse du serveur doit commencer par https:// (pas {scheme}://), par exemple https://sante-ara.fr.</source>
        <translation>The server address must start with https:// (not {scheme}://), for example https://sante-ara.fr.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>L&apos;adresse du serveur ne doit contenir ni identifiant, ni « ? », ni « # » : indiquez seulement https:// suivi du nom du serveur, par exemple https://sante-ara.fr.</source>
        <translation>The server address must contain no user name, “?” or “#”: give only https:// followed by the server&apos;s name, for example https://sante-ara.fr.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>L&apos;adresse du serveur doit commencer par https:// : une connexion non chiffrée (http://) ferait circuler votre mot de passe en clair ; elle n&apos;est acceptée que pour un serveur sur cet ordinateur (127.0.0.1 ou localhost).</source>
        <translation>The server address must start with https://: an unencrypted connection (http://) would send your password in clear; it is only accepted for a server on this computer (127.0.0.1 or localhost).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le serveur a indiqué une adresse non valide : rien n&apos;y a été envoyé. Contactez votre support.</source>
        <translation>The server gave an invalid address: nothing was sent to it. Contact your support.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le serveur demande d&apos;envoyer vos identifiants à {origins}, une adresse que vous n&apos;avez pas autorisée pour ce compte : c&apos;est refusé, rien n&apos;y a été envoyé. Vérifiez l&apos;adresse du serveur ou contactez votre support.</source>
        <translation>The server asks to send your credentials to {origins}, an address you have not allowed for this account: this is refused, nothing was sent there. Check the server address or contact your support.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le serveur demande d&apos;envoyer vos identifiants sans chiffrement, à {origin} : c&apos;est toujours refusé, rien n&apos;y a été envoyé. Vérifiez l&apos;adresse du serveur ou contactez votre support.</source>
        <translation>The server asks to send your credentials without encryption, to {origin}: this is always refused, nothing was sent there. Check the server address or contact your support.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Pour cette première connexion, le serveur demande que vos identifiants soient aussi envoyés à : {origins}. Rien n&apos;y a encore été envoyé. Ne les autorisez que si votre support vous les a indiquées.</source>
        <translation>For this first sign-in, the server asks for your credentials to be sent also to: {origins}. Nothing has been sent there yet. Allow them only if your support gave them to you.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Le serveur est injoignable. Vérifiez votre connexion à Internet et réessayez.</source>
        <translation>The server cannot be reached. Check your Internet connection and try again.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Serveur injoignable : les messages en cache restent lisibles.</source>
        <translation>Server unreachable: the cached messages can still be read.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le serveur renvoie d&apos;adresse en adresse sans aboutir. Réessayez plus tard ou contactez votre support.</source>
        <translation>The server redirects from address to address without end. Try again later or contact your support.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>La connexion sécurisée au serveur n&apos;a pas pu être établie : la connexion a été refusée pour protéger vos données. Vérifiez l&apos;adresse du serveur ; si elle est juste, prévenez votre support.</source>
        <translation>The secure connection to the server could not be set up: the connection was refused to protect your data. Check the server address; if it is right, tell your support.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le serveur ne propose pas de connexion sécurisée assez récente (TLS 1.2 au minimum) : la connexion a été refusée pour protéger vos données. Prévenez le support de votre messagerie.</source>
        <translation>The server does not offer a recent enough secure connection (TLS 1.2 at least): the connection was refused to protect your data. Tell your messaging service&apos;s support.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le certificat de sécurité du serveur a été refusé : la connexion a été refusée pour protéger vos données. Vérifiez l&apos;adresse du serveur ; si elle est juste, prévenez votre support.</source>
        <translation>The server&apos;s security certificate was refused: the connection was refused to protect your data. Check the server address; if it is right, tell your support.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le certificat de sécurité du serveur a expiré : la connexion a été refusée pour protéger vos données. Vérifiez la date et l&apos;heure de cet ordinateur ; si elles sont justes, prévenez le support de votre messagerie.</source>
        <translation>The server&apos;s security certificate has expired: the connection was refused to protect your data. Check this computer&apos;s date and time; if they are right, tell your messaging service&apos;s support.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le certificat de sécurité du serveur n&apos;est valable qu&apos;à partir du {day} : la connexion a été refusée. Vérifiez la date et l&apos;heure de cet ordinateur ; si elles sont justes, prévenez le support de votre messagerie.</source>
        <translation>The server&apos;s security certificate is only valid from {day}: the connection was refused. Check this computer&apos;s date and time; if they are right, tell your messaging service&apos;s support.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le certificat de sécurité du serveur a expiré le {day} : la connexion a été refusée pour protéger vos données. Vérifiez la date et l&apos;heure de cet ordinateur ; si elles sont justes, prévenez le support de votre messagerie.</source>
        <translation>The server&apos;s security certificate expired on {day}: the connection was refused to protect your data. Check this computer&apos;s date and time; if they are right, tell your messaging service&apos;s support.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le certificat de sécurité du serveur n&apos;est pas reconnu (auto-signé ou d&apos;une autorité inconnue) : la connexion a été refusée pour protéger vos données. Si votre établissement a ses propres certificats (IGC Santé), ajoutez-les dans Paramètres, « Certificats d&apos;autorité supplémentaires » ; sinon, prévenez votre support : la connexion pourrait être interceptée.</source>
        <translation>The server&apos;s security certificate is not recognised (self-signed or from an unknown authority): the connection was refused to protect your data. If your organisation has its own certificates (IGC Santé), add them in Settings, “Additional certificate authorities”; otherwise, tell your support: the connection could be intercepted.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Le certificat de sécurité présenté n&apos;est pas celui de ce serveur : la connexion a été refusée pour protéger vos données. Vérifiez l&apos;adresse du serveur ; si elle est juste, prévenez votre support : la connexion pourrait être interceptée.</source>
        <translation>The security certificate presented is not this server&apos;s: the connection was refused to protect your data. Check the server address; if it is right, tell your support: the connection could be intercepted.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le certificat de sécurité présenté est celui de {names}, pas de « {host} » : la connexion a été refusée pour protéger vos données. Vérifiez l&apos;adresse du serveur ; si elle est juste, prévenez votre support : la connexion pourrait être interceptée.</source>
        <translation>The security certificate presented is that of {names}, not of “{host}”: the connection was refused to protect your data. Check the server address; if it is right, tell your support: the connection could be intercepted.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Le certificat de sécurité du serveur a été révoqué par l&apos;autorité qui l&apos;avait délivré (IGC Santé ou autre) : il n&apos;est plus valable, la connexion a été refusée pour protéger vos données. Ne vous connectez pas à ce serveur et prévenez le support de votre messagerie.</source>
        <translation>The server’s security certificate has been revoked by the authority that issued it (IGC Santé or another): it is no longer valid, and the connection was refused to protect your data. Do not connect to this server, and tell your messaging service’s support.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>La révocation du certificat de sécurité du serveur n&apos;a pas pu être vérifiée (le service de l&apos;autorité de certification ne répond pas) : la connexion a été refusée par précaution. Réessayez plus tard ; si cela dure, prévenez votre support.</source>
        <translation>Whether the server’s security certificate has been revoked could not be checked (the certificate authority’s service does not answer): the connection was refused as a precaution. Try again later; if this goes on, tell your support.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le fichier de certificats d&apos;autorité supplémentaires « {name} » est introuvable. Choisissez-le de nouveau dans Paramètres, ou retirez-le.</source>
        <translation>The additional certificate authorities file “{name}” cannot be found. Choose it again in Settings, or remove it.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le fichier de certificats d&apos;autorité supplémentaires « {name} » ne peut pas être lu (droits d&apos;accès). Choisissez-en une copie lisible dans Paramètres, ou retirez-le.</source>
        <translation>The additional certificate authorities file “{name}” cannot be read (access rights). Choose a readable copy of it in Settings, or remove it.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le fichier « {name} » ne contient aucun certificat d&apos;autorité au format PEM. Choisissez le fichier fourni par votre établissement (certificats IGC Santé), ou retirez-le dans Paramètres.</source>
        <translation>The file “{name}” contains no certificate authority in PEM format. Choose the file provided by your organisation (IGC Santé certificates), or remove it in Settings.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Ce serveur ne propose pas la connexion avec Pro Santé Connect.</source>
        <translation>This server does not offer sign-in with Pro Santé Connect.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>La réponse reçue du navigateur ne correspond pas à cette demande de connexion : elle a été refusée. Recommencez la connexion avec Pro Santé Connect.</source>
        <translation>The answer received from the browser does not match this sign-in request: it was refused. Sign in with Pro Santé Connect again.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>La connexion avec Pro Santé Connect n&apos;a pas été terminée à temps. Recommencez.</source>
        <translation>The Pro Santé Connect sign-in was not completed in time. Please try again.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connexion refusée par Pro Santé Connect.</source>
        <translation>Sign-in refused by Pro Santé Connect.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>La réponse du serveur à la connexion Pro Santé Connect n&apos;a pas pu être vérifiée : connexion refusée. Contactez le support si cela se reproduit.</source>
        <translation>The server&apos;s answer to the Pro Santé Connect sign-in could not be verified: sign-in refused. Contact support if this happens again.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Aucun navigateur n&apos;a pu être ouvert pour la connexion avec Pro Santé Connect.</source>
        <translation>No browser could be opened for the Pro Santé Connect sign-in.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Le numéro RPPS doit compter 11 chiffres (celui de votre carte CPS) : vérifiez-le.</source>
        <translation>The RPPS number must have 11 digits (the one on your CPS card): please check it.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>La demande e-CPS a expiré sans être validée sur votre téléphone. Recommencez.</source>
        <translation>The e-CPS request expired without being approved on your phone. Please try again.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>La demande a été refusée sur votre téléphone (e-CPS).</source>
        <translation>The request was declined on your phone (e-CPS).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phrase trop faible : au moins 12 caractères, avec au moins deux sortes de caractères (lettres, chiffres, espaces ou signes).</source>
        <translation>Passphrase too weak: at least 12 characters, with at least two kinds of characters (letters, digits, spaces or symbols).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connexion réussie</source>
        <translation>Signed in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vous pouvez revenir à MonSisra bureau.</source>
        <translation>You can go back to MonSisra bureau.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connexion refusée</source>
        <translation>Sign-in refused</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cette adresse n&apos;attend rien.</source>
        <translation>Nothing is expected at this address.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ce compte est déjà ouvert sur cet ordinateur, dans une autre fenêtre de MonSisra bureau ou par monsisra-cli. Fermez-le là-bas, ou attendez la fin de la commande, puis réessayez.</source>
        <translation>This account is already open on this computer, in another MonSisra bureau window or by monsisra-cli. Close it there, or wait for the command to finish, then try again.</translation>
    </message>
    <message>
        <location filename="../../app/messages/mail.py" line="+11"/>
        <source>Le serveur de messagerie a répondu de façon inattendue. Réessayez plus tard.</source>
        <translation>The mail server answered unexpectedly. Try again later.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Le serveur est injoignable. Vérifiez votre connexion à Internet ; vos messages restent consultables hors connexion.</source>
        <translation>The server cannot be reached. Check your Internet connection; your messages can still be read offline.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connexion trop lente : le transfert a été interrompu. Il sera repris dès que la connexion le permettra.</source>
        <translation>Connection too slow: the transfer was stopped. It will resume as soon as the connection allows.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ce compte n&apos;a pas de messagerie sur le serveur. Contactez le support.</source>
        <translation>This account has no mailbox on the server. Contact support.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Le serveur de messagerie a refusé la demande. Réessayez plus tard.</source>
        <translation>The mail server refused the request. Try again later.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>La demande dépasse une limite du serveur de messagerie.</source>
        <translation>The request exceeds a limit of the mail server.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le serveur de messagerie n&apos;a pas pu traiter la demande.</source>
        <translation>The mail server could not process the request.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le compte de messagerie est introuvable sur le serveur.</source>
        <translation>The mail account cannot be found on the server.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ce compte n&apos;a pas de dossier Archives.</source>
        <translation>This account has no Archive folder.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ce serveur ne propose pas les services régionaux (annuaire, téléconsultation…).</source>
        <translation>This server does not offer the regional services (directory, teleconsultation…).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>La pièce jointe dépasse la taille maximale autorisée par le serveur.</source>
        <translation>The attachment is larger than the server allows.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>La pièce jointe dépasse la taille maximale autorisée par le serveur ({limit} Mo).</source>
        <translation>The attachment is larger than the server allows ({limit} MB).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cette pièce jointe n&apos;existe plus sur le serveur.</source>
        <translation>This attachment no longer exists on the server.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>La pièce jointe est plus volumineuse que prévu ; elle n&apos;a pas été ouverte.</source>
        <translation>The attachment is larger than expected; it was not opened.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Le contenu de cette pièce jointe n&apos;est plus dans le cache. Il sera téléchargé à nouveau à la prochaine connexion.</source>
        <translation>This attachment&apos;s content is no longer in the cache. It will be downloaded again at the next connection.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ce document n&apos;est pas gardé sur cet ordinateur (reçu avant la période gardée hors connexion, ou au-delà de la place réservée) : il s&apos;ouvrira au retour de la connexion.</source>
        <translation>This document is not kept on this computer (received before the period kept offline, or beyond the reserved space): it will open when the connection is back.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ce type de fichier peut exécuter un programme : il ne peut pas être ouvert depuis MonSisra bureau. Enregistrez-le et faites-le vérifier avant de l&apos;ouvrir.</source>
        <translation>This type of file can run a program: it cannot be opened from MonSisra bureau. Save it and have it checked before opening it.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le document n&apos;a pas pu être enregistré à cet endroit (dossier absent ou protégé, ou disque plein). Choisissez un autre dossier.</source>
        <translation>The document could not be saved there (folder missing or protected, or disk full). Choose another folder.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Le paquet IHE_XDM.ZIP joint au message est illisible ou invalide.</source>
        <translation>The IHE_XDM.ZIP package attached to the message is unreadable or invalid.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Un paquet IHE XDM doit contenir au moins un document.</source>
        <translation>An IHE XDM package must contain at least one document.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le paquet IHE_XDM.ZIP contient un chemin absolu.</source>
        <translation>The IHE_XDM.ZIP package contains an absolute path.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le paquet IHE_XDM.ZIP contient un chemin interdit (..).</source>
        <translation>The IHE_XDM.ZIP package contains a forbidden path (..).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le paquet IHE_XDM.ZIP contient trop de fichiers.</source>
        <translation>The IHE_XDM.ZIP package contains too many files.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le paquet IHE_XDM.ZIP est chiffré ; il ne peut pas être lu.</source>
        <translation>The IHE_XDM.ZIP package is encrypted; it cannot be read.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Le paquet IHE_XDM.ZIP contient des doublons.</source>
        <translation>The IHE_XDM.ZIP package contains duplicates.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Le paquet IHE_XDM.ZIP est incohérent : un fichier n&apos;a pas la taille annoncée.</source>
        <translation>The IHE_XDM.ZIP package is inconsistent: a file does not have its announced size.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Le paquet IHE_XDM.ZIP est trop volumineux une fois décompressé.</source>
        <translation>The IHE_XDM.ZIP package is too large once decompressed.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le fichier METADATA.XML contient une DTD ou des entités : refusé.</source>
        <translation>The METADATA.XML file contains a DTD or entities: refused.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le fichier METADATA.XML est trop complexe.</source>
        <translation>The METADATA.XML file is too complex.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le fichier METADATA.XML n&apos;est pas un XML valide.</source>
        <translation>The METADATA.XML file is not valid XML.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le fichier IHE_XDM.ZIP ne contient pas de métadonnées (METADATA.XML).</source>
        <translation>The IHE_XDM.ZIP file contains no metadata (METADATA.XML).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Le fichier METADATA.XML n&apos;est pas une soumission IHE XDS.</source>
        <translation>The METADATA.XML file is not an IHE XDS submission.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Un document annoncé est absent du paquet IHE_XDM.ZIP.</source>
        <translation>An announced document is missing from the IHE_XDM.ZIP package.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Un document du paquet IHE_XDM.ZIP ne correspond pas à son empreinte : il a pu être altéré.</source>
        <translation>A document of the IHE_XDM.ZIP package does not match its fingerprint: it may have been altered.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Le message ne peut pas être préparé pour l&apos;envoi.</source>
        <translation>The message cannot be prepared for sending.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Une adresse contient un saut de ligne.</source>
        <translation>An address contains a line break.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>L&apos;objet ne peut pas contenir de saut de ligne.</source>
        <translation>The subject cannot contain a line break.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Un brouillon a été enregistré par une version plus récente de MonSisra bureau : il est conservé, et se rouvrira une fois l&apos;application mise à jour.</source>
        <translation>A draft was saved by a newer version of MonSisra bureau: it is kept, and will open again once the application is updated.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Le message n&apos;a pas pu être envoyé.</source>
        <translation>The message could not be sent.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Un document du message a été perdu.</source>
        <translation>A document of the message was lost.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Le serveur a supprimé le message avant de l&apos;envoyer (un autre logiciel de messagerie a pu effacer le brouillon) : rien n&apos;est parti. Il est gardé dans la boîte d&apos;envoi : renvoyez-le avec « Réessayer maintenant ».</source>
        <translation>The server deleted the message before sending it (another mail program may have erased the draft): nothing was sent. It is kept in the outbox: send it again with “Retry now”.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le serveur n&apos;a pas de dossier Brouillons ou Envoyés : envoi impossible.</source>
        <translation>The server has no Drafts or Sent folder: the message cannot be sent.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Aucune identité d&apos;envoi sur ce compte : le message est gardé dans la boîte d&apos;envoi. Contactez le support de votre messagerie.</source>
        <translation>This account has no sending identity: the message is kept in the outbox. Contact your mail service&apos;s support.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le serveur a refusé d&apos;enregistrer le message (motif : {reason}). Vérifiez-le avec « Modifier », puis renvoyez-le.</source>
        <translation>The server refused to store the message (reason: {reason}). Check it with “Edit”, then send it again.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le serveur a refusé d&apos;envoyer le message (motif : {reason}). Vérifiez-le avec « Modifier », puis renvoyez-le.</source>
        <translation>The server refused to send the message (reason: {reason}). Check it with “Edit”, then send it again.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le serveur refuse un ou plusieurs destinataires. Vérifiez leurs adresses avec « Modifier », puis renvoyez le message.</source>
        <translation>The server refuses one or more recipients. Check their addresses with “Edit”, then send the message again.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le serveur n&apos;autorise pas l&apos;envoi depuis cette adresse. Contactez le support de votre messagerie.</source>
        <translation>The server does not allow sending from this address. Contact your mail service&apos;s support.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ce message est en cours d&apos;envoi ou déjà envoyé : il ne peut plus être annulé ni modifié.</source>
        <translation>This message is being sent or was sent: it can no longer be cancelled or edited.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Le message est trop volumineux pour le serveur.</source>
        <translation>The message is too large for the server.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le document « {name} » fait {size} Mo : le serveur accepte au plus {limit} Mo par pièce jointe.</source>
        <translation>The document “{name}” is {size} MB: the server accepts at most {limit} MB per attachment.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le paquet {package}, qui reprend les documents du patient, ferait {size} Mo : le serveur accepte au plus {limit} Mo par pièce jointe. Envoyez les documents en plusieurs messages.</source>
        <translation>The {package} package, which holds the patient&apos;s documents, would be {size} MB: the server accepts at most {limit} MB per attachment. Send the documents in several messages.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Les pièces jointes du message font {size} Mo au total : le serveur accepte au plus {limit} Mo par message. Envoyez les documents en plusieurs messages.</source>
        <translation>The message&apos;s attachments are {size} MB in total: the server accepts at most {limit} MB per message. Send the documents in several messages.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Les pièces jointes du message font {size} Mo au total (les documents et leur copie dans {package}) : le serveur accepte au plus {limit} Mo par message. Envoyez les documents en plusieurs messages.</source>
        <translation>The message&apos;s attachments are {size} MB in total (the documents and their copy in {package}): the server accepts at most {limit} MB per message. Send the documents in several messages.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le serveur a refusé le message : il est trop volumineux. Envoyez les documents en plusieurs messages.</source>
        <translation>The server refused the message: it is too large. Send the documents in several messages.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le serveur a refusé le message : il est trop volumineux ({size} Mo de pièces jointes). Envoyez les documents en plusieurs messages.</source>
        <translation>The server refused the message: it is too large ({size} MB of attachments). Send the documents in several messages.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le serveur a refusé le message : il est trop volumineux ({size} Mo de pièces jointes, au plus {limit} Mo). Envoyez les documents en plusieurs messages.</source>
        <translation>The server refused the message: it is too large ({size} MB of attachments, {limit} MB at most). Send the documents in several messages.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Le cache local ne peut pas être déchiffré avec cette clé : il a été créé pour un autre compte ou avec un autre mot de passe. Il sera reconstruit depuis le serveur.</source>
        <translation>The local cache cannot be decrypted with this key: it was created for another account or with another password. It will be rebuilt from the server.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le cache local est endommagé. Il va être reconstruit depuis le serveur ; les messages en attente d&apos;envoi sont conservés.</source>
        <translation>The local cache is damaged. It will be rebuilt from the server; the messages waiting to be sent are kept.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le cache local était illisible : il a été reconstruit et va être de nouveau rempli depuis le serveur. Les messages en attente d&apos;envoi et les brouillons ont été conservés.</source>
        <translation>The local cache was unreadable: it has been rebuilt and will be filled again from the server. The messages waiting to be sent and the drafts have been kept.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Impossible d&apos;écrire sur le disque (disque plein ou en lecture seule). Libérez de l&apos;espace ou vérifiez les droits du dossier, puis réessayez.</source>
        <translation>Cannot write to the disk (disk full or read-only). Free some space or check the folder&apos;s rights, then try again.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le fichier local des messages en attente d&apos;envoi et des brouillons est endommagé. Il a été mis de côté (il n&apos;a pas été supprimé) et un nouveau fichier a été créé ; ce qui était encore lisible a été récupéré. Vérifiez votre boîte d&apos;envoi et vos brouillons.</source>
        <translation>The local file of messages waiting to be sent and of drafts is damaged. It has been set aside (it was not deleted) and a new file has been created; what was still readable has been recovered. Check your outbox and your drafts.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Le cache local est fermé. Reconnectez-vous pour continuer.</source>
        <translation>The local cache is closed. Sign in again to continue.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{address} est la messagerie d&apos;un patient : choisissez ce patient dans « Patient » avant d&apos;envoyer.</source>
        <translation>{address} is a patient&apos;s mailbox: choose this patient under “Patient” before sending.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Un message ne concerne qu&apos;un seul patient : {address} n&apos;est pas la messagerie de {patient}. Retirez ce destinataire ou écrivez-lui un message à part.</source>
        <translation>A message is about one patient only: {address} is not the mailbox of {patient}. Remove this recipient or write them a separate message.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>La messagerie d&apos;un patient ne reçoit que des messages dont l&apos;INS est qualifiée : l&apos;INS de {patient} ne l&apos;est pas.</source>
        <translation>A patient&apos;s mailbox only receives messages with a qualified INS: the INS of {patient} is not qualified.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Un message à la messagerie d&apos;un patient ne peut pas dépasser {limit} Mo : celui-ci en ferait {size} Mo avec ses documents. Envoyez-les en plusieurs messages.</source>
        <translation>A message to a patient&apos;s mailbox cannot exceed {limit} MB: this one would be {size} MB with its documents. Send them in several messages.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Envoi impossible : un destinataire est hors de l&apos;espace de confiance MSSanté. Retirez-le ou vérifiez son adresse dans l&apos;annuaire.</source>
        <translation>Cannot send: a recipient is outside the MSSanté trust space. Remove them or check their address in the directory.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Envoi impossible, hors espace de confiance MSSanté : {addresses}. La messagerie sécurisée de santé n&apos;échange qu&apos;avec les domaines de sa liste blanche : retirez ces destinataires ou vérifiez leurs adresses dans l&apos;annuaire.</source>
        <translation>Cannot send, outside the MSSanté trust space: {addresses}. Secure health messaging only exchanges with the domains on its whitelist: remove these recipients or check their addresses in the directory.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>L&apos;accusé de lecture n&apos;a pas pu être envoyé. Réessayez plus tard.</source>
        <translation>The read receipt could not be sent. Try again later.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>adresse inconnue</source>
        <translation>unknown address</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>domaine inconnu</source>
        <translation>unknown domain</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>boîte du destinataire pleine</source>
        <translation>recipient&apos;s mailbox full</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>message trop volumineux pour le destinataire</source>
        <translation>message too large for the recipient</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>refusé par le serveur du destinataire</source>
        <translation>refused by the recipient&apos;s server</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>remise retardée</source>
        <translation>delivery delayed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>non distribué (code {code})</source>
        <translation>not delivered (code {code})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Aucun message envoyé n&apos;a cet identifiant : {message_id}.</source>
        <translation>No sent message has this identifier: {message_id}.</translation>
    </message>
    <message>
        <location filename="../../app/messages/regional.py" line="+11"/>
        <source>L&apos;annuaire a renvoyé une réponse illisible. Réessayez plus tard.</source>
        <translation>The directory sent back an unreadable answer. Try again later.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>L&apos;annuaire est injoignable. Vérifiez la connexion et réessayez.</source>
        <translation>The directory cannot be reached. Check the connection and try again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>L&apos;annuaire a refusé la recherche. Vérifiez les critères saisis.</source>
        <translation>The directory refused the search. Check the criteria you entered.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>L&apos;annuaire refuse l&apos;accès : vérifiez la connexion ou la clé d&apos;API de l&apos;annuaire.</source>
        <translation>The directory refuses access: check the connection or the directory&apos;s API key.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>L&apos;annuaire reçoit trop de demandes : réessayez dans un instant.</source>
        <translation>The directory is receiving too many requests: try again in a moment.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>L&apos;annuaire limite le nombre de recherches : nouvel essai dans {wait}…</source>
        <translation>The directory limits the number of searches: trying again in {wait}…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>L&apos;annuaire rencontre un problème : réessayez plus tard.</source>
        <translation>The directory has a problem: try again later.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Le service régional a renvoyé une réponse illisible. Réessayez plus tard.</source>
        <translation>The regional service sent back an unreadable answer. Try again later.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Les services régionaux sont injoignables. Vérifiez la connexion et réessayez.</source>
        <translation>The regional services cannot be reached. Check the connection and try again.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Les services régionaux ne sont pas disponibles hors connexion. Réessayez une fois la connexion revenue.</source>
        <translation>The regional services are not available offline. Try again once the connection is back.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Recherche trop large : indiquez le nom de naissance ou d&apos;usage du patient avec sa date de naissance, ou son INS.</source>
        <translation>Search too broad: enter the patient&apos;s birth name or used name with their date of birth, or their INS.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Trop de demandes en peu de temps : patientez une minute, puis réessayez.</source>
        <translation>Too many requests in a short time: wait a minute, then try again.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Vous n&apos;avez pas accès à ces informations : elles sont réservées aux professionnels concernés (pour un patient, à ceux qui le suivent dans leur file active).</source>
        <translation>You do not have access to this information: it is reserved for the professionals concerned (for a patient, those who follow them in their active list).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ce professionnel ne vous a pas délégué la planification de ses téléconsultations : demandez-lui de vous ajouter dans ses réglages (Délégation de la planification).</source>
        <translation>This professional has not delegated the scheduling of their teleconsultations to you: ask them to add you in their settings (Scheduling delegation).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Authentification requise : connectez-vous à nouveau.</source>
        <translation>Authentication required: sign in again.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ressource introuvable.</source>
        <translation>Resource not found.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Le service régional a refusé la demande. Réessayez plus tard.</source>
        <translation>The regional service refused the request. Try again later.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ce serveur ne propose pas d&apos;annuaire.</source>
        <translation>This server offers no directory.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>--near attend LAT,LON,KM.</source>
        <translation>--near expects LAT,LON,KM.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fichier introuvable : {name}</source>
        <translation>File not found: {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type de document inconnu : {code}</source>
        <translation>Unknown document type: {code}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--patient attend l&apos;INS du patient (15 caractères, clé comprise) : « {ins} » n&apos;en est pas un.</source>
        <translation>--patient expects the patient&apos;s INS (15 characters, key included): &quot;{ins}&quot; is not one.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Aucun patient n&apos;a cet INS dans l&apos;annuaire patient régional : rien n&apos;a été envoyé.</source>
        <translation>No patient has this INS in the regional patient directory: nothing was sent.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>--subject est nécessaire, sauf pour un message sur un patient (--patient).</source>
        <translation>--subject is required, except for a message about a patient (--patient).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choisissez le patient dans l&apos;annuaire ou saisissez son nom.</source>
        <translation>Choose the patient in the directory or type their name.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choisissez au moins un moyen d&apos;invitation : e-mail ou SMS.</source>
        <translation>Choose at least one way to invite: e-mail or SMS.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Invitation par e-mail : renseignez l&apos;adresse e-mail du patient.</source>
        <translation>Invitation by e-mail: enter the patient&apos;s e-mail address.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Invitation par SMS : renseignez le numéro de mobile du patient.</source>
        <translation>Invitation by SMS: enter the patient&apos;s mobile number.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>La date de début est passée : choisissez une date à venir.</source>
        <translation>The start date is past: choose a date to come.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Adresse e-mail invalide : vérifiez-la (elle s&apos;écrit nom@domaine.fr).</source>
        <translation>Invalid e-mail address: check it (it is written name@domain.fr).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Numéro de mobile invalide : saisissez un mobile français (06…, 07… ou +33…).</source>
        <translation>Invalid mobile number: enter a French mobile (06…, 07… or +33…).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Indiquez le nom du participant.</source>
        <translation>Enter the participant&apos;s name.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Indiquez l&apos;adresse e-mail ou le mobile du participant, pour son invitation.</source>
        <translation>Enter the participant&apos;s e-mail address or mobile, for their invitation.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Motif non précisé.</source>
        <translation>No reason given.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>« {name} » pèse {size} : un modèle de document ne peut pas dépasser {limit}.</source>
        <translation>“{name}” weighs {size}: a document template cannot exceed {limit}.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>« {name} » est vide : choisissez un autre fichier.</source>
        <translation>“{name}” is empty: choose another file.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>L&apos;équipe propose déjà {count} modèles, le nombre maximal : supprimez-en un avant d&apos;en ajouter un autre.</source>
        <translation>The team already offers {count} templates, the maximum: delete one before adding another.</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <location filename="../../ui/teleexpertise/declare.py" line="-120"/>
        <source>Ne plus être télé-expert</source>
        <translation>Stop being a tele-expert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vous n&apos;apparaîtrez plus dans l&apos;annuaire des experts et vos confrères ne pourront plus vous solliciter. Les téléexpertises en cours restent dans vos conversations.</source>
        <translation>You will no longer appear in the experts directory and colleagues will no longer be able to ask you. Ongoing tele-expertises stay in your conversations.</translation>
    </message>
</context>
<context>
    <name>tasks</name>
    <message>
        <location filename="../../ui/tasks.py" line="+36"/>
        <source>Une erreur inattendue s&apos;est produite. Le détail est dans le Journal.</source>
        <translation>An unexpected error occurred. The details are in the Log.</translation>
    </message>
</context>
</TS>
